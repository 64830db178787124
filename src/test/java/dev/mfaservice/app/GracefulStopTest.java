package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.app.KeepAliveClient.Outcome;
import dev.mfaservice.support.Await;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A stop (what SIGTERM runs) in the middle of sign-ins and code sends over keep-alive
 * connections: no client sees a response cut or a request left unanswered, no outbox row stays
 * claimed, the machine id is released, and every code the API said it would send arrives once,
 * right away or from the next start. Mail goes through a relay that makes each send slow, so that
 * the stop finds sends in flight.
 */
class GracefulStopTest {
  static final int CONNECTIONS = 24;
  static final int GRACE_SECONDS = 10;
  static final int LEASE_SECONDS = 20;
  static final String MASTER_KEY = "k1:" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
  static final String CLAIMED = "select count(*) from outbox where status = 'pending' and locked_until is not null";
  static final String LEASES = "select count(*) from machine_leases where expires_at > now()";

  @Test
  void aStopUnderLoadFinishesWhatItAcceptedAndSendsEachCodeOnce() throws Exception {
    try (Mailbox mail = Mailbox.start(); SlowSmtp relay = SlowSmtp.start(mail.port(), 30)) {
      Map<String, String> env = env(relay.port());
      Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
      TestServer server = TestServer.start(GracefulStopTest.class, env);
      AtomicBoolean stopped = new AtomicBoolean();
      try {
        stopUnderLoad(server, () -> {
          stopped.set(true);
          server.app.close();
        }, before, env, mail);
      } finally {
        cleanUp(server, stopped.get());
      }
    }
  }

  private static void stopUnderLoad(TestServer server, Runnable stop, Set<Thread> before, Map<String, String> env,
                                    Mailbox mail) throws Exception {
    SignInLoad load = new SignInLoad(server.config.http().port(), server.adminToken(), users(server));
    load.start();
    Await.until(() -> load.count(Outcome.COMPLETE) >= 200 && !load.sendsAnswered.isEmpty(), "the load runs");
    long began = System.nanoTime();
    stop.run();
    long stopMillis = (System.nanoTime() - began) / 1_000_000;
    boolean ended = load.awaitEnd(30_000);
    long claimedLeft = TestDatabases.count(server.database, CLAIMED);
    long queued = TestDatabases.count(server.database, "select count(*) from outbox where status = 'pending'");
    long leasesLive = TestDatabases.count(server.database, LEASES);
    long sessions = TestDatabases.count(server.database, "select count(*) from sessions");
    Set<String> threadsLeft = vertxThreadsLeft(before);
    System.out.printf("GracefulStopTest: stop took %d ms; %s; %d response(s) said Connection: close; %d created;"
      + " %d code(s) queued for the next start, %d of them left claimed%n", stopMillis, load.outcomes, load.closeNotices.get(),
      load.created.get(), queued, claimedLeft);

    Map<String, Integer> answered = new HashMap<>();
    Map<String, Integer> delivered = new HashMap<>();
    TestServer next = TestServer.startOn(server.database, GracefulStopTest.class, env, Clock.systemUTC());
    try {
      awaitNothingPending(server, (LEASE_SECONDS + 15) * 1000L);
      load.sendsAnswered.forEach((address, n) -> {
        answered.put(address, n.get());
        delivered.put(address, mail.to(address).size());
      });
    } finally {
      next.stopKeepingDatabase();
    }
    assertAll("what clients saw, what the stop left, what was delivered",
      () -> assertTrue(ended, "every connection found the server gone"),
      () -> assertEquals(List.of(), load.problems, "no response cut, none unanswered, no 5xx"),
      () -> assertTrue(load.closeNotices.get() > 0, "responses in flight at the stop said Connection: close"),
      () -> assertTrue(stopMillis < GRACE_SECONDS * 1000, "stopped within the grace: " + stopMillis + " ms"),
      () -> assertEquals(load.created.get(), sessions, "a session for each 201 the clients got, and none they did not hear of"),
      () -> assertEquals(0, claimedLeft, "no outbox row left claimed"),
      () -> assertEquals(0, leasesLive, "the machine id is released"),
      () -> assertEquals(Set.of(), threadsLeft, "no non-daemon thread of the service left running"),
      () -> assertEquals(answered, delivered, "each code answered 201 delivered exactly once"),
      () -> assertEquals(answered.values().stream().mapToInt(Integer::intValue).sum(), mail.total(), "and nothing else"));
  }

  @Test
  void http2ClientsAreToldGoAway() throws Exception {
    TestServer server = TestServer.start(GracefulStopTest.class);
    Vertx client = Vertx.vertx();
    boolean stopped = false;
    try {
      HttpClientAgent http = client.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(server.config.http().port()));
      HttpClientResponse health = http.request(HttpMethod.GET, "/healthz").compose(r -> r.send()).await();
      assertEquals(HttpVersion.HTTP_2, health.version());
      CompletableFuture<GoAway> goAway = new CompletableFuture<>();
      health.request().connection().goAwayHandler(goAway::complete);
      stopped = true;
      server.app.close();
      assertEquals(0, goAway.get(GRACE_SECONDS, TimeUnit.SECONDS).getErrorCode(), "GOAWAY with NO_ERROR");
    } finally {
      client.close().await();
      cleanUp(server, stopped);
    }
  }

  /** Stops the server unless the test did (so that a failure is not hidden by a second stop), and drops its database. */
  static void cleanUp(TestServer server, boolean stopped) {
    try {
      if (!stopped) {
        server.app.close();
      }
    } finally {
      TestDatabases.drop(server.database);
    }
  }

  static Map<String, String> env(int smtpPort) {
    Map<String, String> env = new HashMap<>();
    env.put("MFA_SMTP_HOST", "127.0.0.1");
    env.put("MFA_SMTP_PORT", Integer.toString(smtpPort));
    env.put("MFA_SMTP_TLS", "none");
    env.put("MFA_MASTER_KEY", MASTER_KEY);
    env.put("MFA_HTTP_SHUTDOWN_SECONDS", Integer.toString(GRACE_SECONDS));
    // longer than any send takes here (a send that outlives its claim is sent again), short enough
    // that the next start sends again what the stop left claimed: the test would see it
    env.put("MFA_NOTIFY_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    env.put("MFA_LIMITS_PER_ADDRESS_INTERVAL_SECONDS", "0");
    env.put("MFA_LIMITS_PER_ADDRESS_PER_HOUR", "10000");
    env.put("MFA_LIMITS_PER_USER_PER_HOUR", "10000");
    env.put("MFA_LIMITS_PER_CALLER_PER_HOUR", "1000000");
    return env;
  }

  /** One user per connection, with a TOTP authenticator and a verified OTP email address. */
  static List<SignInLoad.User> users(TestServer server) {
    String admin = server.adminToken();
    String org = server.createOrg("Graceful Stop");
    assertEquals(200, server.http.post("/admin/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_EMAIL")).status());
    List<SignInLoad.User> users = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      String user = server.createUser(org, "stopper" + i);
      String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
      assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin,
        new JsonObject().put("code", Rfc6238.code(secret, Rfc6238.nowClearOfStepEnd() - 30))).status());
      String address = "stopper" + i + "@acme.test";
      assertEquals(200, server.http.post("/v3alpha/users/" + user + "/otp_email", admin, new JsonObject()
        .put("email", new JsonObject().put("address", address).put("isVerified", true))).status());
      users.add(new SignInLoad.User(user, secret, address));
    }
    return users;
  }

  /** Until the outbox has no pending row: what was queued is sent, a row left claimed after its lease ends. */
  static void awaitNothingPending(TestServer server, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (TestDatabases.count(server.database, "select count(*) from outbox where status = 'pending'") > 0) {
      assertTrue(System.currentTimeMillis() < deadline, "the next start sent the queued codes within " + millis + " ms");
      Thread.sleep(100);
    }
  }

  /** Vert.x's non-daemon threads started since {@code before} and still alive, polled until there are none, briefly. */
  static Set<String> vertxThreadsLeft(Set<Thread> before) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    Set<String> left;
    do {
      Thread.sleep(50);
      left = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon() && t.getName().startsWith("vert.x-"))
        .map(Thread::getName).collect(Collectors.toSet());
    } while (!left.isEmpty() && System.currentTimeMillis() < deadline);
    return left;
  }
}
