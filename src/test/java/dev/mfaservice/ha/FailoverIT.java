package dev.mfaservice.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.app.Application;
import dev.mfaservice.app.Config;
import dev.mfaservice.auth.DevIssuer;
import dev.mfaservice.ha.FailoverLoad.Kind;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.Load;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.Prerequisites;
import dev.mfaservice.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 26: two instances of the service on a highly available PostgreSQL (etcd, two Patroni
 * nodes with synchronous replication, HAProxy to the leader: deploy/ha, run by
 * src/test/ha/stack.sh) under {@link FailoverLoad}. Round 1 kills the primary's postmaster (-9);
 * the old primary rejoins as a standby (pg_rewind); round 2 kills the whole new leader node
 * (Patroni and PostgreSQL, -9), a failover back, and the killed node rejoins. During each gap
 * only 503 UNAVAILABLE besides successes, no answer cut, hung or closed unanswered, /readyz not
 * ready; after it writes succeed without a restart, and {@link FailoverChecks} hold; outbox rows
 * claimed on connections that died with the primary are sent once ({@link DeadClaims}).
 */
class FailoverIT {
  /**
   * The outbox claim lease: a sender that cannot record a sent code retries for half of it, so it
   * must outlast the gap of a whole-node loss (Patroni's TTL, 10 s, plus its loop), or the code is
   * sent again when the lease ends. Shorter than the default (60 s) so the committed dead claim
   * comes back within the test.
   */
  private static final int LEASE_SECONDS = 30;

  @Test
  void theServiceComesThroughAFailoverAndAWholeNodeLossBackWithNothingLostOrDoubled() throws Exception {
    Prerequisites.requireCommands("patroni", "etcd", "haproxy", "psql", "setpriv");
    Prerequisites.require(Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/postgres")), "PostgreSQL 15 server binaries");
    Path dir = Files.createTempDirectory("ha");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (HaStack stack = HaStack.up(dir); Mailbox mailbox = Mailbox.start(); FakeTwilio twilio = FakeTwilio.start()) {
      Map<String, String> env = new HashMap<>(TestServer.baseEnv(FailoverIT.class));
      env.putAll(mailbox.env());
      env.putAll(twilio.env());
      env.put("MFA_DATABASE_URL", stack.env.get("APP_URL"));
      for (String limit : List.of("PER_USER_PER_HOUR", "PER_CALLER_PER_HOUR", "SMS_PER_PREFIX_PER_HOUR", "SMS_PER_COUNTRY_PER_HOUR")) {
        env.put("MFA_LIMITS_" + limit, "10000");
      }
      env.put("MFA_NOTIFY_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
      Config one = Config.load(env);
      env.put("MFA_HTTP_PORT", Integer.toString(TestServer.freePort()));
      Config two = Config.load(env);
      try (Application a = Application.start(one, Clock.systemUTC(), new SecureRandom());
           Application b = Application.start(two, Clock.systemUTC(), new SecureRandom())) {
        String token = DevIssuer.loadOrCreate(one.dataDir(), new SecureRandom())
          .mint(a.vertx(), one.auth(), "admin", "instance", List.of("IAM_OWNER"), 3600);
        int[] ports = {one.http().port(), two.http().port()};
        FailoverLoad load = FailoverLoad.setUp(ports, token);
        Round round = new Round(stack, mailbox, twilio, load, ports, a, token);
        round.run(1, "postmaster of the primary killed", leader -> stack.killPrimary());
        long rejoin = System.nanoTime();
        stack.awaitSyncStandby();
        System.out.printf("ha: the old primary streams synchronously again as a standby %d ms after round 1%n",
          (System.nanoTime() - rejoin) / 1_000_000);
        String killed = round.run(2, "whole leader node killed (Patroni and PostgreSQL): the failover back", stack::killNode);
        rejoin = System.nanoTime();
        stack.startNode(killed);
        stack.awaitSyncStandby();
        System.out.printf("ha: killed node %s restarted, streams synchronously again as a standby after %d ms%n",
          killed, (System.nanoTime() - rejoin) / 1_000_000);
        assertEquals(200, new Http(ports[0]).get("/readyz", null).status());
        assertEquals(200, new Http(ports[1]).get("/readyz", null).status());
      }
    }
  }

  private record Round(HaStack stack, Mailbox mailbox, FakeTwilio twilio, FailoverLoad load, int[] ports, Application a,
                       String token) {
    /** One round of load, kill ({@code kill} gets the leader's name) and checks; returns the killed leader. */
    String run(int n, String what, java.util.function.Consumer<String> killer) throws Exception {
      String run = Long.toString(System.nanoTime(), 36);
      Map<String, Long> totpBefore = new HashMap<>();
      try (Connection db = stack.connect()) {
        for (int w = 0; w < FailoverLoad.WORKERS; w++) {
          if (FailoverLoad.kind(w) == Kind.TOTP_REGISTRATION) {
            totpBefore.put(load.user(w), FailoverChecks.totpAdded(db, load.user(w)));
          }
        }
      }
      Load traffic = new Load("127.0.0.1", ports[0], FailoverLoad.WORKERS, (w, i) -> load.request(n, run, w, i));
      Thread.sleep(3000);
      DeadClaims claims = DeadClaims.take(stack, a, ports[0], token, run, LEASE_SECONDS);
      String leader = stack.leader();
      Queue<long[]> readiness = new ConcurrentLinkedQueue<>();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread readyz = new Thread(() -> sample(readiness, sampling), "readyz-sampler");
      readyz.start();
      long kill = System.nanoTime();
      killer.accept(leader);
      long promoted = stack.awaitLeaderOtherThan(leader, 60_000);
      long[] gap = awaitRecovery(traffic, kill);
      traffic.close();
      sampling.set(false);
      readyz.join();
      long notReady = readiness.stream().filter(r -> r[0] > gap[0] && r[0] < gap[1] && r[1] == 503).count();
      FailoverChecks checks = new FailoverChecks(traffic);
      Map<Integer, Long> statuses = checks.statuses();
      System.out.printf("ha round %d (%s): %s → %s; after the kill: Patroni's new leader at %d ms, first 503 at %d ms, last 503 "
          + "at %d ms, first write accepted after the gap at %d ms (%d ms after Patroni's promotion); /readyz 503 in %d samples "
          + "of the gap; answers by status %s; %d cut, %d refused, %d closed before an answer%n",
        n, what, leader, stack.leader(), ms(promoted - kill), ms(gap[0] - kill), ms(gap[1] - kill), ms(gap[2] - kill),
        ms(gap[2] - promoted), notReady, statuses, traffic.cut.size(), traffic.refused.get(),
        traffic.closedBeforeAnswerOnFresh.get() + traffic.closedBeforeAnswerOnReuse.get());
      assertNotEquals(leader, stack.leader(), "Patroni promoted the standby");
      assertEquals(List.of(), List.copyOf(traffic.cut), "answers cut or hung");
      assertEquals(0, traffic.closedBeforeAnswerOnFresh.get() + traffic.closedBeforeAnswerOnReuse.get(),
        "connections closed without an answer");
      assertTrue(notReady > 0, "/readyz said not ready during the gap: " + readiness.size() + " samples");
      try (Connection db = stack.connect()) {
        String stored = checks.inTheDatabase(db, totpBefore);
        String delivered = checks.deliveredOnce(db, mailbox, twilio);
        System.out.printf("ha round %d: acknowledged and in the database: %s; %s; %s%n", n, stored, delivered,
          claims.verify(db, mailbox));
      }
      return leader;
    }

    private void sample(Queue<long[]> readiness, AtomicBoolean sampling) {
      Http http = new Http(ports[0]);
      while (sampling.get()) {
        readiness.add(new long[] {System.nanoTime(), http.get("/readyz", null).status()});
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  /**
   * Waits (up to 60 s) until the gap is over: 503s were answered after the kill, none for 2 s, and
   * a write was accepted after the last one. Returns {first 503, last 503, first write after it}.
   */
  private static long[] awaitRecovery(Load load, long kill) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      long first503 = load.answers.stream().filter(a -> a.at() > kill && Load.status(a) == 503).mapToLong(Load.Answer::at).min().orElse(0);
      long last503 = load.answers.stream().filter(a -> Load.status(a) == 503).mapToLong(Load.Answer::at).max().orElse(0);
      long write = load.answers.stream().filter(a -> a.at() > last503 && !"SESSION".equals(a.request().tag())
        && Load.status(a) / 100 == 2).mapToLong(Load.Answer::at).min().orElse(0);
      if (first503 > 0 && write > 0 && System.nanoTime() - last503 > 2_000_000_000L) {
        return new long[] {first503, last503, write};
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no end of the gap within 60 s of the kill");
  }
}
