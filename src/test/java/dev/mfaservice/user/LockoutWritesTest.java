package dev.mfaservice.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lockout counts a check only when it failed (SEC O7): a right code with no failures before writes no
 * failed_checks row at all (a trigger of this test's database records every write to the table), a right code after
 * failures resets the count, and parallel wrong guesses still count exactly up to the limit, at sign-in (the user's
 * row locked) as at enrolment (the user's row locked as well, before the factor's).
 */
class LockoutWritesTest {
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(LockoutWritesTest.class);
    admin = server.adminToken();
    org = server.createOrg("Counted");
    assertEquals(200, server.http.post("/management/v1/policies/lockout", server.token("o", org, "ORG_OWNER"),
      new JsonObject().put("maxOtpAttempts", 3)).status());
    TestDatabases.execute(server.database, """
      create table failed_checks_writes (user_id text, op text, failed integer);
      create function record_failed_checks_write() returns trigger language plpgsql as $$
      begin
        insert into failed_checks_writes values (coalesce(new.user_id, old.user_id), tg_op, new.failed);
        return null;
      end
      $$;
      create trigger failed_checks_written after insert or update or delete on failed_checks
        for each row execute function record_failed_checks_write();
      """);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static long writes(String user) {
    return TestDatabases.count(server.database, "select count(*) from failed_checks_writes where user_id = '" + user + "'");
  }

  private static String enrolTotp(String user) {
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin,
      new JsonObject().put("code", Rfc6238.code(secret, System.currentTimeMillis() / 1000))).status());
    return secret;
  }

  private static Reply signIn(String user, String code) {
    return server.http.post("/v2/sessions", admin, new JsonObject().put("checks", new JsonObject()
      .put("user", new JsonObject().put("userId", user)).put("totp", new JsonObject().put("code", code))));
  }

  @Test
  void aSuccessfulSignInWritesNoFailedCheck() {
    String user = server.createUser(org, "right-first-time");
    String secret = enrolTotp(user);
    Reply signedIn = signIn(user, Rfc6238.code(secret, System.currentTimeMillis() / 1000 + 30));
    assertEquals(201, signedIn.status(), signedIn.text());
    assertEquals(0, writes(user), "neither an insert nor a delete of failed_checks");
  }

  @Test
  void aSuccessAfterFailuresResetsTheCount() {
    String user = server.createUser(org, "second-try");
    String secret = enrolTotp(user);
    String right = Rfc6238.code(secret, System.currentTimeMillis() / 1000 + 30);
    String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
    assertEquals(400, signIn(user, wrong).status());
    assertEquals(1, TestDatabases.count(server.database, "select failed from failed_checks where user_id = '" + user + "'"));
    assertEquals(201, signIn(user, right).status());
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from failed_checks where user_id = '" + user + "'"));
    assertEquals(2, writes(user), "the failure's insert, the success's delete");
  }

  @Test
  void parallelWrongCodesAtEnrolmentCountExactlyToTheLimit() throws Exception {
    String user = server.createUser(org, "enrolment-guesser");
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    String right = Rfc6238.code(secret, System.currentTimeMillis() / 1000);
    String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Reply> replies = new ArrayList<>();
    try {
      List<Callable<Reply>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", wrong)));
      }
      for (Future<Reply> f : threads.invokeAll(calls)) {
        replies.add(f.get());
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(3, TestDatabases.count(server.database, "select failed from failed_checks where user_id = '" + user + "'"));
    assertEquals(2, replies.stream().filter(r -> r.text().contains("EVENT-8isk2")).count());
    assertEquals(6, replies.stream().filter(r -> r.text().contains("COMMAND-Locked")).count());
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.locked'"));
  }

  @Test
  void parallelWrongCodesAtOtpEnrolmentCountExactlyToTheLimit() throws Exception {
    int allowed = server.http.call("POST", "/management/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_EMAIL"), java.util.Map.of("x-zitadel-orgid", org)).status();
    assertEquals(true, allowed == 200 || allowed == 409, "OTP email allowed: " + allowed);
    String user = server.createUser(org, "otp-enrolment-guesser");
    Reply added = server.http.post("/v3alpha/users/" + user + "/otp_email", admin, new JsonObject()
      .put("email", new JsonObject().put("address", "otp-guesser@acme.test").put("returnCode", new JsonObject())));
    assertEquals(200, added.status(), added.text());
    String id = added.json().getString("otpEmailId");
    String wrong = added.json().getString("verificationCode").equals("ZZZZZZ") ? "YYYYYY" : "ZZZZZZ";
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Reply> replies = new ArrayList<>();
    try {
      List<Callable<Reply>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> server.http.post("/v3alpha/users/" + user + "/otp_email/" + id + "/verify", admin,
          new JsonObject().put("code", wrong)));
      }
      for (Future<Reply> f : threads.invokeAll(calls)) {
        replies.add(f.get());
      }
    } finally {
      threads.shutdownNow();
    }
    // Each one waited for the user's lock and read the user under it: no clash of events (409), no 5xx.
    assertEquals(List.of(400), replies.stream().map(Reply::status).distinct().toList(), replies.toString());
    assertEquals(3, TestDatabases.count(server.database, "select failed from failed_checks where user_id = '" + user + "'"));
    assertEquals(6, replies.stream().filter(r -> r.text().contains("COMMAND-Locked")).count());
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.locked'"));
  }
}
