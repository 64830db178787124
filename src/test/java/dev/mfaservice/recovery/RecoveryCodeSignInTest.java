package dev.mfaservice.recovery;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signing in with a recovery code (Session v2 checks.recoveryCode) over HTTP against PostgreSQL. */
class RecoveryCodeSignInTest {
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(RecoveryCodeSignInTest.class);
    admin = server.adminToken();
    org = server.createOrg("Recovery Sign-in Org");
    assertEquals(200, server.http.post("/management/v1/policies/login/second_factors", server.token("o", org, "ORG_OWNER"),
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_RECOVERY_CODES")).status());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<String> generate(String user, int count) {
    Reply r = server.http.post("/v2/users/" + user + "/recovery_codes", admin, new JsonObject().put("count", count));
    assertEquals(200, r.status(), r.text());
    return r.json().getJsonArray("recoveryCodes").stream().map(String.class::cast).toList();
  }

  static Reply signIn(String user, String code) {
    return server.http.post("/v2/sessions", admin, new JsonObject().put("checks", new JsonObject()
      .put("user", new JsonObject().put("userId", user)).put("recoveryCode", new JsonObject().put("code", code))));
  }

  static long count(String sql) {
    return TestDatabases.count(server.database, sql);
  }

  static long events(String user, String type) {
    return count("select count(*) from events where aggregate_id = '" + user + "' and event_type = '" + type + "'");
  }

  @Test
  void signInWithACodeTypedLooselyThenTheSameCodeIsRefusedAndFewerAreLeft() {
    String user = server.createUser(org, "lost-phone");
    List<String> codes = generate(user, 3);
    String typed = " " + codes.get(1).toLowerCase(Locale.ROOT).replace("-", " - ") + " ";
    Reply created = signIn(user, typed);
    assertEquals(201, created.status(), created.text());
    JsonObject session = server.http.get("/v2/sessions/" + created.json().getString("sessionId") + "?sessionToken="
      + created.json().getString("sessionToken"), admin).json().getJsonObject("session");
    assertNotNull(session.getJsonObject("factors").getJsonObject("recoveryCode").getString("verifiedAt"));
    assertNull(session.getJsonObject("factors").getValue("totp"));
    assertEquals(2, count("select count(*) from recovery_codes where user_id = '" + user + "' and used_at is null"));
    assertEquals(1, events(user, "user.human.recoverycodes.check.succeeded"));

    assertError(signIn(user, codes.get(1)), 400, 3, "RECOVERY-invalid");
    assertEquals(1, events(user, "user.human.recoverycodes.check.failed"));
    assertEquals(201, signIn(user, codes.get(0).replace("-", "")).status());
    assertEquals(201, signIn(user, codes.get(2)).status());
    assertFalse(RecoveryCodesApiTest.methodsOf(server, admin, user).contains("AUTHENTICATION_METHOD_TYPE_RECOVERY_CODE"),
      "a spent set is no way in");
    assertError(signIn(user, codes.get(2)), 400, 9, "RECOVERY-noCodes");
  }

  @Test
  void aNewSetVoidsTheOldOne() {
    String user = server.createUser(org, "regenerator");
    String old = generate(user, 2).get(0);
    String fresh = generate(user, 2).get(0);
    assertError(signIn(user, old), 400, 3, "RECOVERY-invalid");
    assertEquals(201, signIn(user, fresh).status());
  }

  @Test
  void tenParallelSignInsWithOneCodeExactlyOneWins() throws Exception {
    String user = server.createUser(org, "racer");
    String code = generate(user, 2).get(0);
    ExecutorService threads = Executors.newFixedThreadPool(10);
    List<Reply> replies = new ArrayList<>();
    try {
      List<Callable<Reply>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(() -> signIn(user, code));
      }
      for (Future<Reply> f : threads.invokeAll(calls)) {
        replies.add(f.get());
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(1, replies.stream().filter(r -> r.status() == 201).count(), texts(replies));
    assertEquals(9, replies.stream().filter(r -> r.text().contains("RECOVERY-invalid")).count(), texts(replies));
    assertEquals(1, count("select count(*) from recovery_codes where user_id = '" + user + "' and used_at is not null"));
    assertEquals(1, count("select count(*) from sessions where user_id = '" + user + "'"));
  }

  @Test
  void wrongAndMalformedCodesLockTheUserAtThePolicysLimit() {
    String strict = server.createOrg("Recovery Lockout Org");
    String owner = server.token("o", strict, "ORG_OWNER");
    assertEquals(200, server.http.post("/management/v1/policies/login/second_factors", owner,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_RECOVERY_CODES")).status());
    assertEquals(200, server.http.post("/management/v1/policies/lockout", owner, new JsonObject().put("maxOtpAttempts", 3)).status());
    String user = server.createUser(strict, "guesser");
    String right = generate(user, 1).get(0);
    assertError(signIn(user, "22222-22222"), 400, 3, "RECOVERY-invalid");
    assertError(signIn(user, "not a code!"), 400, 3, "RECOVERY-invalid");
    assertEquals(2, count("select failed from failed_checks where user_id = '" + user + "' and factor_type = 'SECOND_FACTOR_TYPE_RECOVERY_CODES'"));
    assertError(signIn(user, "OOOOO-IIIII"), 400, 9, "COMMAND-Locked");
    assertError(signIn(user, right), 400, 9, "COMMAND-Locked");
    assertEquals(1, events(user, "user.locked"));
    assertEquals(2, events(user, "user.human.recoverycodes.check.failed"));
    assertEquals(0, count("select count(*) from recovery_codes where user_id = '" + user + "' and used_at is not null"),
      "a locked user's code stays unspent");
    assertEquals(200, server.http.post("/v2/users/" + user + "/unlock", admin, new JsonObject()).status());
    assertEquals(201, signIn(user, right).status());
  }

  @Test
  void aCodeOfAnotherUserIsAWrongCode() {
    String mine = server.createUser(org, "mine");
    String theirs = server.createUser(org, "theirs");
    generate(mine, 1);
    String foreign = generate(theirs, 1).get(0);
    assertError(signIn(mine, foreign), 400, 3, "RECOVERY-invalid");
    assertEquals(0, count("select count(*) from recovery_codes where used_at is not null and user_id in ('" + mine + "', '" + theirs + "')"));
  }

  @Test
  void policyRefusalsAtSignInCountNothing() {
    String other = server.createOrg("Recovery Revoked Org");
    String owner = server.token("o", other, "ORG_OWNER");
    assertEquals(200, server.http.post("/management/v1/policies/login/second_factors", owner,
      new JsonObject().put("type", 5)).status());
    String user = server.createUser(other, "revoked");
    String code = generate(user, 1).get(0);
    assertEquals(200, server.http.delete("/management/v1/policies/login/second_factors/SECOND_FACTOR_TYPE_RECOVERY_CODES", owner).status());
    assertError(signIn(user, code), 400, 9, "POLICY-factorNotAllowed");
    assertEquals(0, count("select count(*) from failed_checks where user_id = '" + user + "'"));
    assertEquals(0, count("select count(*) from recovery_codes where user_id = '" + user + "' and used_at is not null"));
    assertEquals(0, count("select count(*) from sessions where user_id = '" + user + "'"));
    assertEquals(200, server.http.delete("/v2/users/" + user + "/recovery_codes", admin).status(),
      "codes the org no longer allows can still be removed");
  }

  static String texts(List<Reply> replies) {
    return replies.stream().map(r -> r.status() + " " + r.text()).toList().toString();
  }

}
