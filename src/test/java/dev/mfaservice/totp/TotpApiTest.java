package dev.mfaservice.totp;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * TOTP enrolment as clients see it, over HTTP against PostgreSQL. Codes are computed by an
 * independent RFC 6238 implementation ({@link Rfc6238}), not by the service's code path.
 */
class TotpApiTest {
  static TestServer server;
  static String org;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(TotpApiTest.class);
    org = server.createOrg("Totp Org");
    admin = server.adminToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void userServiceV2FlowRegisterVerifyListRemove() throws Exception {
    String user = server.createUser(org, "v2-user");
    Reply registered = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject());
    assertEquals(200, registered.status(), registered.text());
    JsonObject body = registered.json();
    String secret = body.getString("secret");
    assertTrue(secret.matches("[A-Z2-7]{32}"), secret);
    assertEquals("otpauth://totp/mfa-service:v2-user?algorithm=SHA1&digits=6&issuer=mfa-service&period=30&secret=" + secret,
      body.getString("uri"));
    assertEquals("2", body.getJsonObject("details").getString("sequence"));
    assertEquals(org, body.getJsonObject("details").getString("resourceOwner"));
    assertEquals("no-store", registered.raw().headers().firstValue("Cache-Control").orElse(""));
    assertEvent(user, 2, "user.human.otp.added", body.getJsonObject("details").getString("creationDate"));

    assertEquals(new JsonArray(), methods(user));
    Reply verified = server.http.post("/v2/users/" + user + "/totp/verify", admin, code(secret));
    assertEquals(200, verified.status(), verified.text());
    assertEquals("3", verified.json().getJsonObject("details").getString("sequence"));
    assertEvent(user, 3, "user.human.otp.verified", verified.json().getJsonObject("details").getString("changeDate"));
    assertEquals(new JsonArray().add("AUTHENTICATION_METHOD_TYPE_TOTP"), methods(user));

    assertError(server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()), 409, 6, "COMMAND-do9se");
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, code(secret)), 400, 9, "COMMAND-qx4ls");

    Reply removed = server.http.delete("/v2/users/" + user + "/totp", admin);
    assertEquals(200, removed.status(), removed.text());
    assertEvent(user, 4, "user.human.otp.removed", removed.json().getJsonObject("details").getString("changeDate"));
    assertEquals(new JsonArray(), methods(user));
    assertError(server.http.delete("/v2/users/" + user + "/totp", admin), 404, 5, "COMMAND-Hd9sd");
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, code(secret)), 404, 5, "COMMAND-3Mif9s");
  }

  @Test
  void selfServiceFlowActsOnTheTokensUserOnly() {
    String me = server.createUser(org, "self-user");
    String other = server.createUser(org, "bystander");
    String myToken = server.token(me, org);
    Reply added = server.http.post("/auth/v1/users/me/auth_factors/otp", myToken, new JsonObject());
    assertEquals(200, added.status(), added.text());
    String secret = added.json().getString("secret");
    assertTrue(added.json().getString("url").startsWith("otpauth://totp/mfa-service:self-user?"), added.text());
    JsonObject details = added.json().getJsonObject("details");
    assertEquals(details.getString("creationDate"), details.getString("changeDate"));

    assertEquals(new JsonArray(), myFactors(myToken));
    assertEquals(200, server.http.post("/auth/v1/users/me/auth_factors/otp/_verify", myToken, code(secret)).status());
    assertEquals(new JsonArray().add(new JsonObject().put("state", "AUTH_FACTOR_STATE_READY").put("otp", new JsonObject())),
      myFactors(myToken));
    assertEquals(new JsonArray(), methods(other), "the bystander got nothing");

    // The self-service calls ignore everything but the token's subject.
    String strangerToken = server.token("not-a-user", org);
    assertError(server.http.post("/auth/v1/users/me/auth_factors/otp", strangerToken, new JsonObject()), 404, 5, "COMMAND-SqyJz");

    assertEquals(200, server.http.delete("/auth/v1/users/me/auth_factors/otp", myToken).status());
    assertEquals(new JsonArray(), myFactors(myToken));
    assertError(server.http.delete("/auth/v1/users/me/auth_factors/otp", myToken), 404, 5, "COMMAND-Hd9sd");
  }

  @Test
  void bothFamiliesShareOneFactorAndAPendingSecretIsReplaced() {
    String user = server.createUser(org, "shared-user");
    String userToken = server.token(user, org);
    String first = server.http.post("/auth/v1/users/me/auth_factors/otp", userToken, new JsonObject()).json().getString("secret");
    String second = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    assertNotEquals(first, second);
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, code(first)), 400, 3, "EVENT-8isk2");
    assertEquals(200, server.http.post("/auth/v1/users/me/auth_factors/otp/_verify", userToken, code(second)).status());
    assertError(server.http.post("/auth/v1/users/me/auth_factors/otp", userToken, new JsonObject()), 409, 6, "COMMAND-do9se");
  }

  @Test
  void wrongMalformedAndMissingCodesAndUnknownUsers() {
    String user = server.createUser(org, "careless");
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    String good = Rfc6238.code(secret, System.currentTimeMillis() / 1000);
    String wrong = String.format("%06d", (Integer.parseInt(good) + 500_000) % 1_000_000);
    for (String bad : new String[] {wrong, "12a456", "١٢٣٤٥٦", "1234567", "12345"}) {
      assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", bad)),
        400, 3, "EVENT-8isk2");
    }
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", "")),
      400, 3, "API-validation");
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject()), 400, 3, "API-validation");
    // Surrounding spaces are trimmed: the right code still works.
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin,
      new JsonObject().put("code", " " + Rfc6238.code(secret, System.currentTimeMillis() / 1000) + " ")).status());

    String pendingNothing = server.createUser(org, "no-totp");
    assertError(server.http.post("/v2/users/" + pendingNothing + "/totp/verify", admin, new JsonObject().put("code", "123456")),
      404, 5, "COMMAND-3Mif9s");
    assertError(server.http.post("/v2/users/does-not-exist/totp", admin, new JsonObject()), 404, 5, "COMMAND-SqyJz");
    assertError(server.http.get("/v2/users/does-not-exist/authentication_methods", admin), 404, 5, "COMMAND-SqyJz");
  }

  @Test
  void callersWithoutARightLearnNothingAndOrgManagersMay() {
    String user = server.createUser(org, "guarded");
    String otherOrg = server.createOrg("Elsewhere");
    String foreignManager = server.token("fm", otherOrg, "ORG_USER_MANAGER");
    Reply unknown = server.http.post("/v2/users/no-such-user/totp", foreignManager, new JsonObject());
    Reply foreign = server.http.post("/v2/users/" + user + "/totp", foreignManager, new JsonObject());
    // SEC A7 / API.md: no right on the user's org → the very answer of an unknown user.
    assertError(foreign, 404, 5, "COMMAND-SqyJz");
    assertEquals(unknown.text(), foreign.text());
    assertError(server.http.delete("/v2/users/" + user + "/totp", foreignManager), 404, 5, "COMMAND-SqyJz");
    assertError(server.http.get("/v2/users/" + user + "/authentication_methods", foreignManager), 404, 5, "COMMAND-SqyJz");
    assertError(server.http.post("/v2/users/" + user + "/totp", server.token("peer", org), new JsonObject()),
      404, 5, "COMMAND-SqyJz");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from totp_factors where user_id = '" + user + "'"));

    Reply byManager = server.http.post("/v2/users/" + user + "/totp", server.token("m", org, "ORG_USER_MANAGER"), new JsonObject());
    assertEquals(200, byManager.status(), byManager.text());
  }

  @Test
  void wrongRegistrationCodesCountTowardsTheLockout() {
    String strict = server.createOrg("Totp Lockout Org");
    assertEquals(200, server.http.post("/management/v1/policies/lockout", server.token("o", strict, "ORG_OWNER"),
      new JsonObject().put("maxOtpAttempts", 2)).status());
    String user = server.createUser(strict, "fumbler");
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    String right = Rfc6238.code(secret, System.currentTimeMillis() / 1000);
    String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", wrong)), 400, 3, "EVENT-8isk2");
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", wrong)), 400, 9, "COMMAND-Locked");
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", right)), 400, 9, "COMMAND-Locked");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.locked'"));
    assertEquals(200, server.http.post("/v2/users/" + user + "/unlock", admin, new JsonObject()).status());
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", right)).status());
  }

  @Test
  void theSameCodeFiredInParallelWinsExactlyOnce() throws Exception {
    for (int round = 0; round < 3; round++) {
      String user = server.createUser(org, "racer-" + round);
      String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
      JsonObject body = code(secret);
      ExecutorService threads = Executors.newFixedThreadPool(10);
      try {
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          calls.add(() -> server.http.post("/v2/users/" + user + "/totp/verify", admin, body));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var f : threads.invokeAll(calls)) {
          statuses.add(f.get().status());
        }
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 400), statuses.toString());
        assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
          + "' and event_type = 'user.human.otp.verified'"));
      } finally {
        threads.shutdownNow();
      }
    }
  }

  @Test
  void anAcceptedStepIsNeverAcceptedAgain() throws Exception {
    String user = server.createUser(org, "replayer");
    server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject());
    TotpRepository repository = new TotpRepository();
    var pool = server.pool(4);
    try {
      java.time.Instant now = java.time.Instant.now();
      assertEquals(true, accept(pool, repository, user, 1000, now));
      assertEquals(false, accept(pool, repository, user, 1000, now), "the same step");
      assertEquals(false, accept(pool, repository, user, 999, now), "an older step");
      assertEquals(true, accept(pool, repository, user, 1001, now), "a newer step");
    } finally {
      pool.close();
    }
  }

  @Test
  void theSecretIsStoredSealedAndNeverLoggedOrInEvents() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    String secret;
    String user;
    try {
      user = server.createUser(org, "sealed");
      secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
      server.http.post("/v2/users/" + user + "/totp/verify", admin, code(secret));
    } finally {
      root.detachAppender(logs);
    }
    try (Connection c = TestDatabases.connect(server.database);
         PreparedStatement s = c.prepareStatement("select secret_sealed from totp_factors where user_id = ?")) {
      s.setString(1, user);
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next());
        byte[] stored = rs.getBytes(1);
        String asText = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(asText.contains(secret), "no base32 secret in the row");
        assertFalse(indexOf(stored, Rfc6238.base32Decode(secret)) >= 0, "no raw secret in the row");
        assertEquals(1, stored[0], "sealed format version");
      }
    }
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from events where payload::text like '%"
      + secret + "%'"));
    assertTrue(logs.list.stream().noneMatch(e -> e.getFormattedMessage().contains(secret)), "secret in a log line");
  }

  private static JsonArray methods(String user) {
    Reply r = server.http.get("/v2/users/" + user + "/authentication_methods", admin);
    assertEquals(200, r.status(), r.text());
    assertEquals(Integer.toString(r.json().getJsonArray("authMethodTypes").size()),
      r.json().getJsonObject("details").getString("totalResult"));
    return r.json().getJsonArray("authMethodTypes");
  }

  private static JsonArray myFactors(String token) {
    Reply r = server.http.post("/auth/v1/users/me/auth_factors/_search", token, new JsonObject());
    assertEquals(200, r.status(), r.text());
    return r.json().getJsonArray("result");
  }

  private static JsonObject code(String secret) {
    return new JsonObject().put("code", Rfc6238.code(secret, System.currentTimeMillis() / 1000));
  }

  private static void assertEvent(String user, long sequence, String type, String date) throws Exception {
    try (Connection c = TestDatabases.connect(server.database);
         PreparedStatement s = c.prepareStatement(
           "select event_type, created_at from events where aggregate_type = 'user' and aggregate_id = ? and sequence = ?")) {
      s.setString(1, user);
      s.setLong(2, sequence);
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), type);
        assertEquals(type, rs.getString(1));
        assertEquals(java.time.Instant.parse(date), rs.getTimestamp(2).toInstant());
      }
    }
  }

  private static Boolean accept(io.vertx.sqlclient.Pool pool, TotpRepository repository, String user, long step,
                                java.time.Instant now) throws Exception {
    return pool.withTransaction(tx -> repository.acceptStep(tx, user, step, now)).toCompletionStage().toCompletableFuture().get();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
