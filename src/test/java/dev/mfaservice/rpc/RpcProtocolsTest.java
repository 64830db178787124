package dev.mfaservice.rpc;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import dev.mfaservice.proto.google.rpc.BadRequest;
import dev.mfaservice.proto.google.rpc.Status;
import dev.mfaservice.proto.zitadel.user.v2.GetUserByIDRequest;
import dev.mfaservice.proto.zitadel.user.v2.RegisterTOTPRequest;
import dev.mfaservice.proto.zitadel.user.v2.RegisterTOTPResponse;
import dev.mfaservice.proto.zitadel.v1.ErrorDetail;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RPC protocols at the wire: Connect's JSON errors and refusals, the v3alpha generation
 * (which no ZITADEL client library calls any more) over Connect, gRPC-web's text and JSON
 * forms, and one behaviour with REST (the same validation, the same rows).
 */
class RpcProtocolsTest {
  static TestServer server;
  static String admin;
  static String org;
  static HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    server = TestServer.start(RpcProtocolsTest.class, Map.of("MFA_HTTP_BODY_LIMIT", "4096",
      "MFA_HTTP_CORS_ORIGINS", "https://app.example.test"));
    admin = server.adminToken();
    org = server.createOrg("Rpc Org");
    assertEquals(200, server.http.post("/admin/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_EMAIL")).status());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<byte[]> post(String path, String contentType, byte[] body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.config.http().port() + path))
      .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType)
      .header("Connect-Protocol-Version", "1");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> connect(String procedure, JsonObject body, String token) throws Exception {
    return post("/" + procedure, "application/json", body.encode().getBytes(StandardCharsets.UTF_8), token);
  }

  static JsonObject json(HttpResponse<byte[]> response) {
    return new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
  }

  static ErrorDetail zitadelDetail(JsonObject connectError) throws Exception {
    JsonObject first = connectError.getJsonArray("details").getJsonObject(0);
    assertEquals("zitadel.v1.ErrorDetail", first.getString("type"));
    return ErrorDetail.parseFrom(Base64.getDecoder().decode(first.getString("value")));
  }

  @Test
  void connectJsonRunsTheV3alphaOtpEmailCalls() throws Exception {
    String user = server.createUser(org, "v3-connect");
    HttpResponse<byte[]> added = connect("zitadel.user.v3alpha.UserService/AddOTPEmailAuthenticator", new JsonObject()
      .put("userId", user).put("email", new JsonObject().put("address", "v3@example.com").put("returnCode", new JsonObject())), admin);
    assertEquals(200, added.statusCode(), new String(added.body()));
    assertEquals("application/json", added.headers().firstValue("content-type").orElseThrow());
    JsonObject body = json(added);
    String id = body.getString("otpEmailId");
    String code = body.getString("verificationCode");
    assertTrue(code.matches("[A-Z0-9]{6,}"), body.encode());

    HttpResponse<byte[]> wrong = connect("zitadel.user.v3alpha.UserService/VerifyOTPEmailRegistration",
      new JsonObject().put("userId", user).put("otpEmailId", id).put("code", "ZZZZZZ"), admin);
    assertEquals(400, wrong.statusCode());
    assertEquals("invalid_argument", json(wrong).getString("code"));

    HttpResponse<byte[]> verified = connect("zitadel.user.v3alpha.UserService/VerifyOTPEmailRegistration",
      new JsonObject().put("userId", user).put("otpEmailId", id).put("code", code), admin);
    assertEquals(200, verified.statusCode(), new String(verified.body()));
    assertTrue(json(verified).getJsonObject("details").getString("sequence").matches("\\d+"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.human.otp.email.verified'"));
  }

  @Test
  void connectBinaryAnswersInProtobuf() throws Exception {
    String user = server.createUser(org, "binary");
    HttpResponse<byte[]> r = post("/zitadel.user.v2.UserService/RegisterTOTP", "application/proto",
      RegisterTOTPRequest.newBuilder().setUserId(user).build().toByteArray(), admin);
    assertEquals(200, r.statusCode());
    assertEquals("application/proto", r.headers().firstValue("content-type").orElseThrow());
    RegisterTOTPResponse reply = RegisterTOTPResponse.parseFrom(r.body());
    assertTrue(reply.getUri().startsWith("otpauth://totp/"), reply.toString());
    assertTrue(reply.getDetails().getSequence() > 0);
  }

  @Test
  void connectValidationNamesTheFieldAsRestDoes() throws Exception {
    JsonObject request = new JsonObject().put("code", "");
    String user = server.createUser(org, "validated");
    HttpResponse<byte[]> r = connect("zitadel.user.v2.UserService/VerifyTOTPRegistration", request.copy().put("userId", user), admin);
    assertEquals(400, r.statusCode());
    JsonObject error = json(r);
    assertEquals("invalid_argument", error.getString("code"));
    assertTrue(error.getString("message").contains("code"), error.encode());
    // proto3 does not tell an empty string from none: REST's twin is the body without code.
    Http.Reply rest = server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject());
    assertEquals(rest.json().getString("message"), error.getString("message"), "one rule, one message");
    assertEquals(rest.errorId(), zitadelDetail(error).getId());
    JsonObject second = error.getJsonArray("details").getJsonObject(1);
    assertEquals("google.rpc.BadRequest", second.getString("type"));
    BadRequest violations = BadRequest.parseFrom(Base64.getDecoder().decode(second.getString("value")));
    assertEquals("code", violations.getFieldViolations(0).getField());
  }

  @Test
  void connectRefusalsAreConnectErrors() throws Exception {
    HttpResponse<byte[]> unknown = connect("zitadel.user.v2.UserService/ListUsers", new JsonObject(), admin);
    assertEquals(404, unknown.statusCode());
    assertEquals("unimplemented", json(unknown).getString("code"));

    HttpResponse<byte[]> noToken = connect("zitadel.user.v2.UserService/GetUserByID", new JsonObject().put("userId", "1"), null);
    assertEquals(401, noToken.statusCode());
    assertEquals("unauthenticated", json(noToken).getString("code"));

    HttpResponse<byte[]> text = post("/zitadel.user.v2.UserService/GetUserByID", "text/plain", "{}".getBytes(), admin);
    assertEquals(415, text.statusCode());
    assertEquals("application/json, application/proto", text.headers().firstValue("accept-post").orElseThrow());

    HttpResponse<byte[]> malformed = post("/zitadel.user.v2.UserService/GetUserByID", "application/json", "{\"userId\":".getBytes(), admin);
    assertEquals(400, malformed.statusCode());
    assertEquals("invalid_argument", json(malformed).getString("code"));

    HttpResponse<byte[]> large = connect("zitadel.org.v2.OrganizationService/AddOrganization",
      new JsonObject().put("name", "x".repeat(5000)), admin);
    assertEquals(429, large.statusCode());
    assertEquals("resource_exhausted", json(large).getString("code"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from events where payload::text like '%xxxxxxxxxx%'"));

    HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
      + server.config.http().port() + "/zitadel.user.v2.UserService/GetUserByID")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("allow").orElseThrow());
  }

  @Test
  void restIsUnchangedBesideTheRpcPaths() {
    assertError(server.http.get("/v2/users/999999999", admin), 404, 5, "COMMAND-SqyJz");
    assertEquals(200, server.http.get("/healthz", null).status());
  }

  /** gRPC-web frames: a flag byte, a 4-byte length, the payload; trailers are a frame with flag 0x80. */
  static byte[] frame(byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(payload.length).put(payload).array();
  }

  static Map<String, String> trailers(byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    while (in.remaining() >= 5) {
      byte flag = in.get();
      int length = in.getInt();
      byte[] payload = new byte[length];
      in.get(payload);
      if ((flag & 0x80) != 0) {
        Map<String, String> trailers = new java.util.HashMap<>();
        for (String line : new String(payload, StandardCharsets.UTF_8).split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            trailers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
          }
        }
        return trailers;
      }
    }
    return Map.of();
  }

  @Test
  void grpcWebTextCarriesTheStatusAndZitadelDetail() throws Exception {
    byte[] request = Base64.getEncoder().encode(frame(GetUserByIDRequest.newBuilder().setUserId("999999999").build().toByteArray()));
    HttpResponse<byte[]> r = post("/zitadel.user.v2.UserService/GetUserByID", "application/grpc-web-text", request, admin);
    assertEquals(200, r.statusCode());
    assertEquals("application/grpc-web-text", r.headers().firstValue("content-type").orElseThrow());
    // an error without a message is "trailers-only": the status travels in the headers
    Map<String, String> trailers = r.body().length > 0
      ? trailers(Base64.getDecoder().decode(new String(r.body(), StandardCharsets.US_ASCII).replace("\r\n", "")))
      : Map.of("grpc-status", r.headers().firstValue("grpc-status").orElse(""),
        "grpc-status-details-bin", r.headers().firstValue("grpc-status-details-bin").orElse(""));
    assertEquals("5", trailers.get("grpc-status"), trailers.toString());
    Status status = Status.parseFrom(Base64.getDecoder().decode(trailers.get("grpc-status-details-bin")));
    Any first = status.getDetails(0);
    assertEquals("type.googleapis.com/zitadel.v1.ErrorDetail", first.getTypeUrl());
    assertEquals("COMMAND-SqyJz", first.unpack(ErrorDetail.class).getId());
  }

  @Test
  void grpcWebJsonSpeaksProto3Json() throws Exception {
    String user = server.createUser(org, "webjson");
    byte[] request = frame(new JsonObject().put("userId", user).encode().getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r = post("/zitadel.user.v2.UserService/GetUserByID", "application/grpc-web+json", request, admin);
    assertEquals(200, r.statusCode());
    ByteBuffer in = ByteBuffer.wrap(r.body());
    assertEquals(0, in.get());
    byte[] message = new byte[in.getInt()];
    in.get(message);
    JsonObject reply = new JsonObject(new String(message, StandardCharsets.UTF_8));
    assertEquals(user, reply.getJsonObject("user").getString("userId"));
    assertEquals("webjson", reply.getJsonObject("user").getString("username"));
    byte[] rest = new byte[in.remaining()];
    in.get(rest);
    assertEquals("0", trailers(rest).get("grpc-status"));
  }

  @Test
  void grpcJsonOverH2c() throws Exception {
    String user = server.createUser(org, "grpcjson");
    io.vertx.core.http.HttpClient h2 = server.app.vertx().createHttpClient(new io.vertx.core.http.HttpClientOptions()
      .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      byte[] request = frame(new JsonObject().put("userId", user).encode().getBytes(StandardCharsets.UTF_8));
      io.vertx.core.http.HttpClientResponse[] response = new io.vertx.core.http.HttpClientResponse[1];
      io.vertx.core.buffer.Buffer body = h2.request(new io.vertx.core.http.RequestOptions()
          .setMethod(io.vertx.core.http.HttpMethod.POST).setHost("127.0.0.1").setPort(server.config.http().port())
          .setURI("/zitadel.user.v2.UserService/RegisterTOTP").putHeader("content-type", "application/grpc+json")
          .putHeader("te", "trailers").putHeader("authorization", "Bearer " + admin))
        .compose(req -> req.send(io.vertx.core.buffer.Buffer.buffer(request)))
        .compose(resp -> {
          response[0] = resp;
          return resp.body();
        })
        .await();
      assertEquals(io.vertx.core.http.HttpVersion.HTTP_2, response[0].version());
      assertEquals("application/grpc+json", response[0].getHeader("content-type"));
      assertEquals("0", response[0].getTrailer("grpc-status"));
      JsonObject reply = new JsonObject(body.getBuffer(5, body.length()));
      assertTrue(reply.getString("uri").startsWith("otpauth://totp/"), reply.encode());
    } finally {
      h2.close();
    }
  }

  @Test
  void browsersOfTheConfiguredOriginMayCallGrpcWeb() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.config.http().port() + "/zitadel.user.v2.UserService/GetUserByID");
    HttpResponse<String> preflight = client.send(HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
      .header("Origin", "https://app.example.test").header("Access-Control-Request-Method", "POST")
      .header("Access-Control-Request-Headers", "authorization, content-type, x-grpc-web, x-user-agent, x-evil").build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(204, preflight.statusCode());
    assertEquals("https://app.example.test", preflight.headers().firstValue("access-control-allow-origin").orElseThrow());
    assertEquals("authorization, content-type, x-grpc-web, x-user-agent",
      preflight.headers().firstValue("access-control-allow-headers").orElseThrow());

    HttpResponse<byte[]> call = client.send(HttpRequest.newBuilder(uri)
      .POST(HttpRequest.BodyPublishers.ofByteArray(frame(GetUserByIDRequest.newBuilder().setUserId("999999999").build().toByteArray())))
      .header("Origin", "https://app.example.test").header("Content-Type", "application/grpc-web+proto")
      .header("X-Grpc-Web", "1").header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals("https://app.example.test", call.headers().firstValue("access-control-allow-origin").orElseThrow());
    assertTrue(call.headers().firstValue("access-control-expose-headers").orElseThrow().contains("grpc-status-details-bin"));

    HttpResponse<String> stranger = client.send(HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
      .header("Origin", "https://evil.example.test").header("Access-Control-Request-Method", "POST").build(),
      HttpResponse.BodyHandlers.ofString());
    assertTrue(stranger.headers().firstValue("access-control-allow-origin").isEmpty());
    assertEquals("origin", stranger.headers().firstValue("vary").orElseThrow(), "caches must key on Origin");
  }

  @Test
  void grpcMessagesOverTheBodyLimitAreRefused() throws Exception {
    byte[] name = "y".repeat(5000).getBytes(StandardCharsets.UTF_8);
    byte[] message = ByteBuffer.allocate(3 + name.length).put((byte) 0x0A).put((byte) (0x80 | (name.length & 0x7F)))
      .put((byte) (name.length >> 7)).put(name).array();
    HttpResponse<byte[]> r = post("/zitadel.org.v2.OrganizationService/AddOrganization", "application/grpc-web+proto",
      frame(message), admin);
    String status = r.headers().firstValue("grpc-status").orElseGet(() -> trailers(r.body()).get("grpc-status"));
    assertEquals("8", status, "RESOURCE_EXHAUSTED");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from events where payload::text like '%yyyyyyyyyy%'"));
  }

  @Test
  void theTokenIsCheckedBeforeTheMessage() throws Exception {
    HttpResponse<byte[]> connect = post("/zitadel.user.v2.UserService/GetUserByID", "application/json", "{\"userId\":".getBytes(), null);
    assertEquals(401, connect.statusCode());
    assertEquals("unauthenticated", json(connect).getString("code"));
    HttpResponse<byte[]> grpcWeb = post("/zitadel.user.v2.UserService/GetUserByID", "application/grpc-web+proto",
      frame(new byte[] {(byte) 0xFF, 0x01}), null);
    assertEquals("16", grpcWeb.headers().firstValue("grpc-status").orElseGet(() -> trailers(grpcWeb.body()).get("grpc-status")));
  }

  @Test
  void compressedGrpcMessagesAreRefused() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.config.http().port()
        + "/zitadel.user.v2.UserService/GetUserByID"))
      .POST(HttpRequest.BodyPublishers.ofByteArray(frame(GetUserByIDRequest.newBuilder().setUserId("1").build().toByteArray())))
      .header("Content-Type", "application/grpc-web+proto").header("grpc-encoding", "gzip")
      .header("Authorization", "Bearer " + admin).build();
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals("12", r.headers().firstValue("grpc-status").orElseGet(() -> trailers(r.body()).get("grpc-status")), "UNIMPLEMENTED");
  }

  @Test
  void unknownFieldsAreIgnoredOverEveryJsonForm() throws Exception {
    String user = server.createUser(org, "lenient");
    JsonObject request = new JsonObject().put("userId", user).put("notAField", true);
    HttpResponse<byte[]> grpcWeb = post("/zitadel.user.v2.UserService/GetUserByID", "application/grpc-web+json",
      frame(request.encode().getBytes(StandardCharsets.UTF_8)), admin);
    byte[] rest = java.util.Arrays.copyOfRange(grpcWeb.body(), 5 + ByteBuffer.wrap(grpcWeb.body(), 1, 4).getInt(), grpcWeb.body().length);
    assertEquals("0", trailers(rest).get("grpc-status"));
    assertEquals(200, connect("zitadel.user.v2.UserService/GetUserByID", request, admin).statusCode());
    assertEquals(200, server.http.get("/v2/users/" + user, admin).status());
  }

  @Test
  void anotherConnectProtocolVersionIsRefused() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.config.http().port()
        + "/zitadel.user.v2.UserService/GetUserByID"))
      .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json")
      .header("Connect-Protocol-Version", "2").header("Authorization", "Bearer " + admin).build();
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode());
    assertEquals("invalid_argument", new JsonObject(r.body()).getString("code"));
  }

  @Test
  void serverReflectionListsZitadelsServices() throws Exception {
    byte[] request = io.vertx.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build().toByteArray();
    HttpResponse<byte[]> r = post("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "application/grpc-web+proto",
      frame(request), null);
    assertEquals(200, r.statusCode());
    ByteBuffer in = ByteBuffer.wrap(r.body());
    assertEquals(0, in.get());
    byte[] message = new byte[in.getInt()];
    in.get(message);
    java.util.List<String> services = io.vertx.grpc.reflection.v1.ServerReflectionResponse.parseFrom(message)
      .getListServicesResponse().getServiceList().stream().map(io.vertx.grpc.reflection.v1.ServiceResponse::getName).toList();
    assertTrue(services.containsAll(java.util.List.of("zitadel.user.v2.UserService", "zitadel.session.v2.SessionService",
      "zitadel.management.v1.ManagementService", "zitadel.resources.user.v3alpha.ZITADELUsers")), services.toString());
  }
}
