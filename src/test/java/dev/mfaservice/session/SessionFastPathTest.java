package dev.mfaservice.session;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mfaservice.support.Await;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.RowLocks;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TOTP sign-in's optimistic way (SessionFastPath): a right code is taken without locking the user's row for update;
 * whatever moved the user between the check's read and its write (a failure counted, a lock) sends it the locked way,
 * which decides as always. Rows are held from other connections to put each request where the test needs it.
 */
class SessionFastPathTest {
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(SessionFastPathTest.class);
    admin = server.adminToken();
    org = server.createOrg("Fast Path Org");
    assertEquals(200, server.http.post("/management/v1/policies/login/second_factors", server.token("owner", org, "ORG_OWNER"),
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_SMS")).status());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A lock that a row lock for update waits for and a share lock does not: the locked way waits, this one does not. */
  @Test
  void aRightCodeIsTakenWhileTheUsersRowIsHeldForKeyShare() throws Exception {
    String user = server.createUser(org, "fast-signer");
    long now = Rfc6238.nowClearOfStepEnd();
    String secret = enrolTotp(user, now - 30);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (Connection holder = TestDatabases.connect(server.database);
         Connection probe = TestDatabases.connect(server.database)) {
      holder.setAutoCommit(false);
      RowLocks.execute(holder, "select 1 from users where id = ? for key share", user);
      Reply created = signIn(user, Rfc6238.code(secret, now));
      assertEquals(201, created.status(), "taken while the row is held: " + created.text());
      Reply changed = server.http.call("PATCH", "/v2/sessions/" + created.json().getString("sessionId"), admin,
        new JsonObject().put("checks", new JsonObject().put("totp", new JsonObject()
          .put("code", Rfc6238.code(secret, now + 30)))), java.util.Map.of());
      assertEquals(200, changed.status(), "SetSession too: " + changed.text());

      Future<Reply> replayed = thread.submit(() -> signIn(user, Rfc6238.code(secret, now + 30)));
      Await.until(() -> RowLocks.waiting(probe) >= 1, "a code it does not take (here a replay) goes the locked way: it waits");
      assertFalse(replayed.isDone());
      holder.rollback();
      assertError(replayed.get(20, TimeUnit.SECONDS), 400, 3, "EVENT-8isk2");
      assertEquals(1, TestDatabases.count(server.database, "select failed from failed_checks where user_id = '" + user
        + "'"), "counted once");
    } finally {
      thread.shutdownNow();
    }
  }

  /** The user locked after the check read it and before its write: the write does not hold, the locked way refuses. */
  @Test
  void aUserLockedBetweenTheReadAndTheWriteIsRefused() throws Exception {
    String user = server.createUser(org, "locked-meanwhile");
    long now = Rfc6238.nowClearOfStepEnd();
    String secret = enrolTotp(user, now - 30);
    Reply refused = whileHeld(user, "update users set state = 'USER_STATE_LOCKED', sequence = sequence + 1 where id = ?",
      () -> signIn(user, Rfc6238.code(secret, now)));
    assertError(refused, 400, 9, "COMMAND-Locked");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from sessions where user_id = '" + user + "'"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from totp_factors where user_id = '" + user
      + "' and last_used_step = " + (now - 30) / 30), "the step is not taken either");
  }

  /** A failure counted meanwhile: the locked way takes the right code and resets the count, as it always did. */
  @Test
  void aFailureCountedBetweenTheReadAndTheWriteIsReset() throws Exception {
    String user = server.createUser(org, "failed-meanwhile");
    long now = Rfc6238.nowClearOfStepEnd();
    String secret = enrolTotp(user, now - 30);
    Reply created = whileHeld(user, "with counted as (insert into failed_checks (user_id, factor_type, failed)"
        + " values (?, 'SECOND_FACTOR_TYPE_OTP', 1)) update users set sequence = sequence + 1 where id = ?",
      () -> signIn(user, Rfc6238.code(secret, now)));
    assertEquals(201, created.status(), created.text());
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from failed_checks where user_id = '" + user
      + "'"), "the count was reset: the check ran after the failure");
  }

  /**
   * The locked way (a code by SMS has no optimistic check) after waiting for the user's row: the failure counted while
   * it waited is read, and the right code resets it. Its read locks the row and PostgreSQL re-reads only that row after
   * the wait; the failed checks come from the statement's snapshot, taken before it (the count stayed 1 on 946f46a).
   */
  @Test
  void theLockedWayReadsAFailureCountedWhileItWaited() throws Exception {
    String user = server.createUser(org, "sms-failed-meanwhile");
    Reply added = server.http.post("/v3alpha/users/" + user + "/otp_sms", admin, new JsonObject()
      .put("phone", new JsonObject().put("number", "+41 79 700 00 02").put("isVerified", true)));
    assertEquals(200, added.status(), added.text());
    Reply created = server.http.post("/v2/sessions", admin, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
      .put("challenges", new JsonObject().put("otpSms", new JsonObject().put("returnCode", true))));
    assertEquals(201, created.status(), created.text());
    String code = created.json().getJsonObject("challenges").getString("otpSms");
    Reply checked = whileHeld(user, "with counted as (insert into failed_checks (user_id, factor_type, failed)"
        + " values (?, 'SECOND_FACTOR_TYPE_OTP_SMS', 1)) update users set sequence = sequence + 1 where id = ?",
      () -> server.http.call("PATCH", "/v2/sessions/" + created.json().getString("sessionId"), admin,
        new JsonObject().put("checks", new JsonObject().put("otpSms", new JsonObject().put("code", code))),
        java.util.Map.of()));
    assertEquals(200, checked.status(), checked.text());
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from failed_checks where user_id = '" + user
      + "'"), "the count was reset: the check read the failure counted before it");
  }

  private static Reply whileHeld(String user, String change, Supplier<Reply> signIn) throws Exception {
    return RowLocks.whileHeld(server.database, user, change, signIn::get);
  }

  /** Enrolled with the code of {@code epochSecond}'s step (taken: a sign-in uses a later one). */
  private static String enrolTotp(String user, long epochSecond) {
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin,
      new JsonObject().put("code", Rfc6238.code(secret, epochSecond))).status());
    return secret;
  }

  private static Reply signIn(String user, String code) {
    return server.http.post("/v2/sessions", admin, new JsonObject().put("checks", new JsonObject()
      .put("user", new JsonObject().put("userId", user)).put("totp", new JsonObject().put("code", code))));
  }
}
