package dev.mfaservice.notify;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestClock;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wide send limits (caller, IP, number prefix, country) counted per key and minute in {@code send_counts}: a
 * caller's cap frees an hour after its oldest sends, not before; a refused send counts nothing; a notice counts nothing.
 * The clock is the test's: the service stamps sends and reads the window by it.
 */
class SendWindowTest {
  static final int PER_CALLER = 3;
  static final TestClock clock = new TestClock();
  static Mailbox mail;
  static TestServer server;
  static String org;

  @BeforeAll
  static void start() {
    mail = Mailbox.start();
    Map<String, String> env = new HashMap<>(mail.env());
    env.put("MFA_LIMITS_PER_CALLER_PER_HOUR", Integer.toString(PER_CALLER));
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    server = TestServer.start(SendWindowTest.class, env, clock);
    org = server.createOrg("Window Org");
  }

  @AfterAll
  static void stop() {
    server.close();
    mail.close();
  }

  @Test
  void aCallersCapFreesAnHourAfterItsOldestSendsAndRefusalsCountNothing() {
    // the test's clock runs with the wall clock (plus what the test adds): margins of seconds for the calls' own time
    String app = server.token("window-app", "instance", "IAM_OWNER");
    assertEquals(200, setEmail(app, "early").status());
    clock.advance(Duration.ofMinutes(10));
    assertEquals(200, setEmail(app, "middle1").status());
    assertEquals(200, setEmail(app, "middle2").status());
    assertEquals(PER_CALLER, hits("window-app"));

    Reply refused = setEmail(app, "refused1");
    assertError(refused, 429, 8, "NOTIFY-rateLimited");
    assertWait(50 * 60, retryAfter(refused), "the earliest send leaves the window 50 minutes from now");
    assertEquals(PER_CALLER, hits("window-app"), "a refused send counts nothing");

    clock.advance(Duration.ofMinutes(50).minusSeconds(30));
    assertError(setEmail(app, "refused2"), 429, 8, "NOTIFY-rateLimited");
    clock.advance(Duration.ofSeconds(31));
    assertEquals(200, setEmail(app, "after-an-hour").status(), "the earliest send is over an hour old");
    Reply again = setEmail(app, "refused3");
    assertError(again, 429, 8, "NOTIFY-rateLimited");
    assertWait(10 * 60 - 1, retryAfter(again), "the two middle sends leave the window 10 minutes after the first");
    assertEquals(PER_CALLER + 1, hits("window-app"), "every admitted send is in send_counts, old minutes too");
  }

  @Test
  void noticesOfFactorChangesAreNotCounted() {
    String app = server.token("notice-app", "instance", "IAM_OWNER");
    String user = server.createUser(org, "noticed");
    assertEquals(200, server.http.post("/v2/users/" + user + "/email", server.adminToken(), new JsonObject()
      .put("email", "noticed@acme.test").put("isVerified", true)).status());
    Reply added = server.http.post("/v2/users/" + user + "/totp", app, new JsonObject());
    assertEquals(200, added.status(), added.text());
    String code = Rfc6238.code(added.json().getString("secret"), clock.instant().getEpochSecond());
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", app, new JsonObject().put("code", code)).status());
    assertTrue(TestDatabases.count(server.database, "select count(*) from outbox where template like 'notice\\_%'"
      + " and caller_id = 'notice-app'") >= 1, "a notice was queued for the caller");
    assertEquals(0, hits("notice-app"));
  }

  private static Reply setEmail(String token, String name) {
    return server.http.post("/v2/users/" + server.createUser(org, name) + "/email", token,
      new JsonObject().put("email", name + "@acme.test"));
  }

  /** About {@code seconds}: up to 10 s less (the calls' own time on the running clock), 1 more (rounded up). */
  private static void assertWait(long seconds, long retryAfter, String why) {
    assertTrue(retryAfter >= seconds - 10 && retryAfter <= seconds + 1, why + ": Retry-After " + retryAfter);
  }

  private static long retryAfter(Reply r) {
    return Long.parseLong(r.raw().headers().firstValue("Retry-After").orElseThrow());
  }

  private static long hits(String caller) {
    return TestDatabases.count(server.database, "select coalesce(sum(hits), 0) from send_counts where kind = 'caller'"
      + " and key = '" + caller + "'");
  }
}
