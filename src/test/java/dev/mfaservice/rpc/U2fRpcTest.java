package dev.mfaservice.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.mfaservice.proto.zitadel.auth.v1.AuthServiceGrpcService;
import dev.mfaservice.proto.zitadel.session.v2.SessionServiceGrpcService;
import dev.mfaservice.proto.zitadel.user.v2.UserServiceGrpcService;
import dev.mfaservice.support.SoftAuthenticator;
import dev.mfaservice.support.SoftAuthenticator.Alg;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Security keys over the four transports: enrol a key (Struct credential), sign in with it (Struct options and
 * assertion), list and remove it, and the auth v1 calls whose options and credential are bytes — each over Connect
 * JSON, Connect protobuf, gRPC (HTTP/2) and gRPC-web, with the RPC messages as ZITADEL's clients build them.
 */
class U2fRpcTest {
  enum Transport { CONNECT_JSON, CONNECT_PROTO, GRPC, GRPC_WEB }

  static TestServer server;
  static String admin;
  static String org;
  static String origin;
  static final HttpClient HTTP1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  static final JsonFormat.Printer PRINTER = JsonFormat.printer();

  @BeforeAll
  static void start() {
    server = TestServer.start(U2fRpcTest.class);
    admin = server.adminToken();
    org = server.createOrg("Rpc Keys");
    origin = "http://localhost:" + server.config.http().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void enrolSignInListAndRemove(Transport t) throws Exception {
    String user = server.createUser(org, "rpc-" + t.name().toLowerCase());
    ServiceDescriptor users = UserServiceGrpcService.SERVICE_DESCRIPTOR;
    JsonObject started = call(t, users, "RegisterU2F", new JsonObject().put("userId", user).put("domain", "localhost"), admin);
    String keyId = started.getString("u2fId");
    SoftAuthenticator key = new SoftAuthenticator(Alg.ES256);
    JsonObject credential = key.create(started.getJsonObject("publicKeyCredentialCreationOptions"), origin);
    JsonObject verified = call(t, users, "VerifyU2FRegistration", new JsonObject().put("userId", user).put("u2fId", keyId)
      .put("publicKeyCredential", credential).put("tokenName", "rpc key"), admin);
    assertNotNull(verified.getJsonObject("details").getString("sequence"));
    JsonObject listed = call(t, users, "ListAuthenticationFactors", new JsonObject().put("userId", user), admin);
    assertEquals(new JsonObject().put("state", "AUTH_FACTOR_STATE_READY").put("u2f", new JsonObject().put("id", keyId)
      .put("name", "rpc key")), listed.getJsonArray("result").getJsonObject(0));

    ServiceDescriptor sessions = SessionServiceGrpcService.SERVICE_DESCRIPTOR;
    JsonObject created = call(t, sessions, "CreateSession", new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
      .put("challenges", new JsonObject().put("webAuthN", new JsonObject().put("domain", "localhost")
        .put("userVerificationRequirement", "USER_VERIFICATION_REQUIREMENT_DISCOURAGED"))), admin);
    JsonObject options = created.getJsonObject("challenges").getJsonObject("webAuthN")
      .getJsonObject("publicKeyCredentialRequestOptions");
    assertEquals("discouraged", options.getJsonObject("publicKey").getString("userVerification"));
    String sessionId = created.getString("sessionId");
    call(t, sessions, "SetSession", new JsonObject().put("sessionId", sessionId).put("checks", new JsonObject()
      .put("webAuthN", new JsonObject().put("credentialAssertionData", key.get(options, origin)))), admin);
    JsonObject factor = call(t, sessions, "GetSession", new JsonObject().put("sessionId", sessionId), admin)
      .getJsonObject("session").getJsonObject("factors").getJsonObject("webAuthN");
    assertNotNull(factor.getString("verifiedAt"), factor.encode());

    call(t, users, "RemoveU2F", new JsonObject().put("userId", user).put("u2fId", keyId), admin);
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from webauthn_keys where user_id = '" + user + "'"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void authV1CarriesOptionsAndCredentialAsBytes(Transport t) throws Exception {
    String me = server.createUser(org, "rpc-self-" + t.name().toLowerCase());
    String token = server.token(me, org);
    ServiceDescriptor auth = AuthServiceGrpcService.SERVICE_DESCRIPTOR;
    JsonObject added = call(t, auth, "AddMyAuthFactorU2F", new JsonObject(), token);
    JsonObject options = new JsonObject(new String(Base64.getDecoder().decode(added.getJsonObject("key")
      .getString("publicKey")), StandardCharsets.UTF_8));
    JsonObject credential = new SoftAuthenticator(Alg.EdDSA).create(options, origin);
    call(t, auth, "VerifyMyAuthFactorU2F", new JsonObject().put("verification", new JsonObject().put("publicKeyCredential",
      Base64.getEncoder().encodeToString(credential.encode().getBytes(StandardCharsets.UTF_8))).put("tokenName", "v1")), token);
    JsonObject mine = call(t, auth, "ListMyAuthFactors", new JsonObject(), token).getJsonArray("result").getJsonObject(0);
    assertEquals("v1", mine.getJsonObject("u2f").getString("name"));
    call(t, auth, "RemoveMyAuthFactorU2F", new JsonObject().put("tokenId", mine.getJsonObject("u2f").getString("id")), token);
    assertTrue(call(t, auth, "ListMyAuthFactors", new JsonObject(), token).getJsonArray("result", new io.vertx.core.json.JsonArray())
      .isEmpty());
  }

  /** One successful call: the request as proto JSON in, the response as proto JSON out, whatever the transport. */
  static JsonObject call(Transport t, ServiceDescriptor service, String method, JsonObject request, String token)
    throws Exception {
    MethodDescriptor m = service.findMethodByName(method);
    String path = "/" + service.getFullName() + "/" + method;
    DynamicMessage.Builder in = DynamicMessage.newBuilder(m.getInputType());
    PARSER.merge(request.encode(), in);
    byte[] proto = in.build().toByteArray();
    byte[] answer = switch (t) {
      case CONNECT_JSON -> http1(path, "application/json", request.encode().getBytes(StandardCharsets.UTF_8), token);
      case CONNECT_PROTO -> http1(path, "application/proto", proto, token);
      case GRPC_WEB -> unframe(http1(path, "application/grpc-web+proto", RpcProtocolsTest.frame(proto), token), path);
      case GRPC -> unframe(h2(path, RpcProtocolsTest.frame(proto), token), path);
    };
    if (t == Transport.CONNECT_JSON) {
      return new JsonObject(new String(answer, StandardCharsets.UTF_8));
    }
    DynamicMessage out = DynamicMessage.parseFrom(m.getOutputType(), answer);
    return new JsonObject(PRINTER.print(out));
  }

  private static byte[] http1(String path, String contentType, byte[] body, String token) throws Exception {
    HttpResponse<byte[]> r = HTTP1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.config.http().port()
        + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType)
      .header("Connect-Protocol-Version", "1").header("Authorization", "Bearer " + token).build(),
      HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
    String status = r.headers().firstValue("grpc-status").orElse(null);
    assertTrue(status == null || status.equals("0"), path + ": grpc-status " + status);
    if (contentType.startsWith("application/grpc-web")) {
      assertEquals("0", RpcProtocolsTest.trailers(r.body()).get("grpc-status"), path);
    }
    return r.body();
  }

  private static byte[] h2(String path, byte[] body, String token) {
    io.vertx.core.http.HttpClient client = server.app.vertx().createHttpClient(new HttpClientOptions()
      .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(server.config.http().port()).setURI(path).putHeader("content-type", "application/grpc")
          .putHeader("te", "trailers").putHeader("authorization", "Bearer " + token))
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> {
          String status = resp.getTrailer("grpc-status") != null ? resp.getTrailer("grpc-status") : resp.getHeader("grpc-status");
          assertEquals("0", status, path + ": " + resp.getTrailer("grpc-message") + resp.getHeader("grpc-message"));
          return b.getBytes();
        }))
        .await();
    } finally {
      client.close();
    }
  }

  /** The first data frame's message. */
  private static byte[] unframe(byte[] frames, String path) {
    ByteBuffer in = ByteBuffer.wrap(frames);
    byte flag = in.get();
    assertEquals(0, flag & 0x80, path + ": a message before the trailers");
    int length = in.getInt();
    return Arrays.copyOfRange(frames, 5, 5 + length);
  }
}
