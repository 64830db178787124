package dev.mfaservice.http;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.ContractCheck;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Input an attacker sends: each refused with the error body, and none of it changes anything (SEC V1). */
class HostileInputTest {
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(HostileInputTest.class);
    admin = server.adminToken();
    org = server.createOrg("Hostile");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedWith415AndChangesNothing() {
    Reply before = server.http.get("/admin/v1/policies/lockout", admin);
    String[][] calls = {{"PUT", "/admin/v1/policies/lockout"}, {"POST", "/management/v1/policies/lockout"},
      {"POST", "/v2/organizations"}, {"POST", "/v2/users/human"}, {"POST", "/admin/v1/policies/login/second_factors"},
      {"POST", "/v2/sessions"}, {"POST", "/admin/v1/events/_search"}, {"POST", "/v2/users/1/totp"},
      {"POST", "/auth/v1/users/me/auth_factors/_search"}, {"DELETE", "/v2/sessions/1"}};
    for (String type : new String[] {"multipart/form-data; boundary=x", "text/plain", "application/x-www-form-urlencoded"}) {
      for (String[] call : calls) {
        String body = type.startsWith("multipart") ? "--x\r\nContent-Disposition: form-data; name=\"maxOtpAttempts\"\r\n\r\n7\r\n--x--\r\n"
          : "{\"maxOtpAttempts\":7,\"name\":\"x\"}";
        Reply r = server.http.send(call[0], call[1], admin, body, type);
        assertError(r, 415, 3, "API-contentType");
      }
    }
    assertEquals(before.json().getJsonObject("policy").getString("maxOtpAttempts"),
      server.http.get("/admin/v1/policies/lockout", admin).json().getJsonObject("policy").getString("maxOtpAttempts"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from orgs"), "no organization was added");
  }

  @Test
  void controlCharactersInAnyStringAreRefusedNamingTheField() {
    assertViolation(server.http.post("/v2/organizations", admin, new JsonObject().put("name", "a\u0000b")), "name");
    Map<String, JsonObject> users = Map.of(
      "username", user("na\u0000me", "Given", "Family", null),
      "profile.givenName", user("u1", "Gi\u0000ven", "Family", null),
      "profile.familyName", user("u2", "Given", "Fam\u001bily", null),
      "profile.displayName", user("u3", "Given", "Family", "Dis\u007fplay"));
    users.forEach((field, body) -> assertViolation(server.http.post("/v2/users/human", admin, body), field));
    assertViolation(server.http.post("/v2/sessions", admin, new JsonObject().put("checks", new JsonObject()
      .put("user", new JsonObject().put("loginName", "x\ny")))), "checks.user.loginName");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from orgs"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from users"));
  }

  private static JsonObject user(String username, String given, String family, String display) {
    JsonObject profile = new JsonObject().put("givenName", given).put("familyName", family);
    if (display != null) {
      profile.put("displayName", display);
    }
    return new JsonObject().put("organization", new JsonObject().put("orgId", org)).put("username", username)
      .put("profile", profile);
  }

  private static void assertViolation(Reply r, String field) {
    assertError(r, 400, 3, "API-validation");
    assertTrue(r.json().getString("message").contains(field + ": String contains a control character"), r.text());
  }

  @Test
  void refusalsOfTheHttpLayerCarryTheErrorBodyToo() throws IOException {
    assertRaw(414, "API-uriTooLong", "GET /v2/users/" + "1".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertRaw(431, "API-headersTooLarge", "GET /v2/users/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
    assertRaw(400, "API-badRequest", "GET /v2/users/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin + "\r\n\r\n");
    Reply grpcOnRest = server.http.send("POST", "/v2/organizations", admin, "\u0000\u0000\u0000\u0000\u0000", "application/grpc");
    assertError(grpcOnRest, 415, 3, "API-contentType");
  }

  /** Sends raw bytes (what no well-behaved client sends) and checks the answer's status and error body. */
  private static void assertRaw(int status, String errorId, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.config.http().port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String response = read(socket.getInputStream());
      String[] parts = response.split("\r\n\r\n", 2);
      // a request line the decoder could not read is answered as HTTP/1.0 (Netty's placeholder request)
      assertTrue(parts[0].matches("(?s)HTTP/1\\.[01] " + status + " .*"), response);
      String type = parts[0].lines().filter(l -> l.toLowerCase().startsWith("content-type:")).findFirst().orElse(":").split(":", 2)[1].trim();
      Reply reply = new Reply(status, type, parts.length > 1 ? parts[1] : "", null, null);
      assertError(reply, status, 3, errorId);
      ContractCheck.get().verify("GET", "/v2/users/1", reply);
    }
  }

  /** Reads one answer: its head, then as many bytes as its content-length says (or to the end). */
  private static String read(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    int length = -1;
    int c;
    while ((length < 0 || text.length() - text.indexOf("\r\n\r\n") - 4 < length) && (c = in.read()) >= 0) {
      text.append((char) c);
      if (length < 0 && text.indexOf("\r\n\r\n") > 0) {
        length = text.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
          .map(l -> Integer.parseInt(l.split(":", 2)[1].trim())).findFirst().orElse(Integer.MAX_VALUE);
      }
    }
    return text.toString();
  }
}
