package dev.mfaservice.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.rpc.RpcWire.Answer;
import dev.mfaservice.support.ApiAssertions;
import dev.mfaservice.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What RpcFuzzTest and RestFuzzTest found (seed 5392), kept as plain cases: each call used to
 * hang until the client gave up, or answered outside the contract.
 */
class FuzzRegressionTest {
  static final String GET_USER = "/zitadel.user.v2.UserService/GetUserByID";
  static TestServer server;
  static RpcWire wire;
  static String admin;
  /** The client's own Vert.x, as in RpcFuzzTest. */

  @BeforeAll
  static void start() {
    server = TestServer.start(FuzzRegressionTest.class);
    admin = server.adminToken();
    wire = new RpcWire(server.config.http().port());
  }

  @AfterAll
  static void stop() {
    wire.close();
    server.close();
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  @Test
  void aCompressedFlagWithoutGrpcEncodingIsRefusedNotLeftHanging() throws Exception {
    byte[] frame = hex("01000000050a03343031"); // flag 1, no grpc-encoding: Vert.x threw "Handle me"
    assertEquals(new Answer(200, "3", ""), blank(wire.h2(GET_USER, "application/grpc", frame, admin, Map.of())));
    assertEquals("3", wire.http1(GET_USER, "application/grpc-web", frame, admin).code());
  }

  @Test
  void gRpcWebTextThatIsNoWholeFrameIsRefusedNotLeftHanging() throws Exception {
    // shorter than a frame's prefix, empty, not base64, a prefix that is not the message's length
    for (String body : new String[] {"AAAAAA==", "", "AAAAAAcK*!", "AAAAAQoK"}) {
      Answer answer = wire.http1(GET_USER, "application/grpc-web-text", body.getBytes(StandardCharsets.US_ASCII), admin);
      assertEquals("3", answer.code(), body);
    }
  }

  @Test
  void aWholeGrpcWebTextFrameStillRuns() throws Exception {
    // GetUserByIDRequest{userId: "999999999"}, in two base64 chunks as grpc-web clients may send
    String text = java.util.Base64.getEncoder().encodeToString(hex("000000000b0a09393939393939393939"));
    assertEquals("5", wire.http1(GET_USER, "application/grpc-web-text", text.getBytes(StandardCharsets.US_ASCII), admin).code());
  }

  @Test
  void aLengthPrefixOverTheLimitIsResourceExhausted() throws Exception {
    assertEquals("8", wire.h2(GET_USER, "application/grpc", hex("00ffffffff7b7d"), admin, Map.of()).code());
  }

  @Test
  void restRefusalsOfPathParametersAndBodiesAreDeclaredInTheContract() {
    // the contract lacked 400 on operations with path parameters, and 404 on management calls for an unknown org
    ApiAssertions.assertError(server.http.send("DELETE", "/v2/sessions/1", admin, "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
      "application/json"), 400, 3, "API-malformedJson");
    ApiAssertions.assertError(server.http.post("/management/v1/policies/lockout", admin, new io.vertx.core.json.JsonObject()),
      404, 5, "ORG-notFound");
  }

  @Test
  void aValueWithoutAKindIsInvalidArgumentNotInternal() throws Exception {
    // VerifyU2FRegistrationRequest{user_id "1", u2f_id "2", public_key_credential: Struct{"a": Value{}}}: the Value
    // decodes but has no JSON form (seed 18 of the h2c fuzz, 1,000 calls: it was 13 INTERNAL)
    String path = "/zitadel.user.v2.UserService/VerifyU2FRegistration";
    byte[] message = hex("0a0131120132" + "1a070a050a01611200");
    byte[] frame = hex("000000000f" + HexFormat.of().formatHex(message));
    Answer grpc = wire.h2(path, "application/grpc", frame, admin, Map.of());
    assertEquals("3", grpc.code(), grpc.detail());
    assertEquals("The request has a value with no JSON form (RPC-noJsonForm)", java.net.URLDecoder.decode(grpc.detail(), StandardCharsets.UTF_8));
    assertEquals("3", wire.http1(path, "application/grpc-web", frame, admin).code());
    assertEquals("invalid_argument", wire.http1(path, "application/proto", message, admin).code());
  }

  private static Answer blank(Answer answer) {
    return new Answer(answer.http(), answer.code(), "");
  }
}
