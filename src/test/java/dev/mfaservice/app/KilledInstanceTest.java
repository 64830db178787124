package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real service process killed with SIGKILL releases nothing: its machine id stays taken until
 * its lease (5 s here) has run out by the database's clock, and is free for the next instance after.
 */
class KilledInstanceTest {
  static final String LEASE_SECONDS = "5";

  @Test
  void aKilledInstancesMachineIdIsNotFreeBeforeItsLeaseEndsAndIsFreeAfter() throws Exception {
    try (TestServer first = TestServer.start(KilledInstanceTest.class, Map.of("MFA_IDS_LEASE_SECONDS", LEASE_SECONDS))) {
      Process service = startProcess(first.databaseUrl());
      try {
        long machineId = awaitLeaseOf(first, service);
        service.destroyForcibly().waitFor();
        long killedAt = dbMillis(first, "now()");
        long expiresAt = dbMillis(first, "(select expires_at from machine_leases where machine_id = " + machineId + ")");
        System.out.printf("KilledInstanceTest: killed the holder of machine id %d; its lease ends %d ms later%n",
          machineId, expiresAt - killedAt);

        int refusals = 0;
        TestServer next = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (next == null) {
          try {
            next = TestServer.startOn(first.database, KilledInstanceTest.class, explicitly(machineId), Clock.systemUTC());
          } catch (StartupException e) {
            assertTrue(e.getMessage().startsWith("cannot lease a machine id: MFA_IDS_MACHINE_ID=" + machineId + " is held by"),
              e.getMessage());
            refusals++;
            if (System.currentTimeMillis() > deadline) {
              fail("machine id " + machineId + " not free 60 s after the kill");
            }
          }
        }
        try {
          long acquiredAt = dbMillis(first, "(select acquired_at from machine_leases where machine_id = " + machineId + ")");
          System.out.printf("KilledInstanceTest: %d start(s) refused, taken over %d ms after the kill (%d ms after the lease end)%n",
            refusals, acquiredAt - killedAt, acquiredAt - expiresAt);
          assertTrue(refusals >= 1, "an instance started right after the kill is refused the id");
          assertTrue(acquiredAt >= expiresAt, "taken over only after the lease ended, by the database's clock");
          String org = next.createOrg("After the kill");
          assertEquals(machineId, Long.parseLong(next.createUser(org, "heir")) & 0xFFFF, "the new ids carry the id");
        } finally {
          next.stopKeepingDatabase();
        }
      } finally {
        service.destroyForcibly();
      }
    }
  }

  static Map<String, String> explicitly(long machineId) {
    Map<String, String> env = new HashMap<>();
    env.put("MFA_IDS_MACHINE_ID", Long.toString(machineId));
    env.put("MFA_IDS_LEASE_SECONDS", LEASE_SECONDS);
    return env;
  }

  /** The service as a user runs it, in its own JVM, on the test's database. */
  static Process startProcess(String databaseUrl) throws IOException {
    Path dataDir = Files.createTempDirectory("mfa-killed");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), "dev.mfaservice.Main");
    pb.environment().putAll(Map.of("MFA_DATABASE_URL", databaseUrl, "MFA_HTTP_HOST", "127.0.0.1",
      "MFA_HTTP_PORT", Integer.toString(TestServer.freePort()), "MFA_HTTP_INSTANCES", "1", "MFA_DATA_DIR", dataDir.toString(),
      "MFA_IDS_LEASE_SECONDS", LEASE_SECONDS));
    pb.redirectErrorStream(true).redirectOutput(dataDir.resolve("service.log").toFile());
    return pb.start();
  }

  /** Polls (with a deadline) until the process holds a live lease, and gives its machine id. */
  static long awaitLeaseOf(TestServer db, Process service) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    String live = "select count(*) from machine_leases where pid = " + service.pid() + " and expires_at > now()";
    while (TestDatabases.count(db.database, live) == 0) {
      if (!service.isAlive() || System.currentTimeMillis() > deadline) {
        fail("the service process did not lease a machine id (alive: " + service.isAlive() + ")");
      }
      Thread.sleep(100);
    }
    return TestDatabases.count(db.database, "select machine_id from machine_leases where pid = " + service.pid());
  }

  static long dbMillis(TestServer db, String timestamp) {
    return TestDatabases.count(db.database, "select (extract(epoch from " + timestamp + ") * 1000)::bigint");
  }
}
