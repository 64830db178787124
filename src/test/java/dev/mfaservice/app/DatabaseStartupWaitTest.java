package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http;
import dev.mfaservice.support.TcpForwarder;
import dev.mfaservice.support.TestServer;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * MFA_DATABASE_STARTUP_WAIT_SECONDS: a service started beside its database (compose, a pod) waits
 * for a server that refuses connections, then starts; a mistake that time does not mend (a
 * database that does not exist) still ends start-up at once.
 */
class DatabaseStartupWaitTest {
  @Test
  void startUpWaitsForADatabaseThatComesUpLate() throws Exception {
    URI real = URI.create(TestServer.start(DatabaseStartupWaitTest.class).closeAndUrl());
    int late = TestServer.freePort();
    Config config = config(real.toString().replace(real.getHost() + ":" + real.getPort(), "127.0.0.1:" + late), "60");
    long start = System.nanoTime();
    CompletableFuture<Application> starting = CompletableFuture.supplyAsync(
      () -> Application.start(config, Clock.systemUTC(), new SecureRandom()));
    Thread.sleep(2000);
    assertTrue(!starting.isDone(), "still waiting while nothing listens");
    try (TcpForwarder database = TcpForwarder.open(late, real.getHost(), real.getPort());
         Application app = starting.get(60, TimeUnit.SECONDS)) {
      assertTrue(System.nanoTime() - start >= 2_000_000_000L);
      assertEquals(200, new Http(config.http().port()).get("/readyz", null).status());
    }
  }

  @Test
  void aDatabaseThatDoesNotExistEndsStartUpWithoutWaiting() {
    URI real = URI.create(TestServer.start(DatabaseStartupWaitTest.class).closeAndUrl());
    String missing = real.getScheme() + "://" + real.getRawUserInfo() + "@" + real.getHost() + ":" + real.getPort() + "/no_such_db";
    long start = System.nanoTime();
    StartupException e = assertThrows(StartupException.class,
      () -> Application.start(config(missing, "60"), Clock.systemUTC(), new SecureRandom()).close());
    assertTrue(e.getMessage().contains("no_such_db"), e.getMessage());
    assertTrue(System.nanoTime() - start < 20_000_000_000L, "failed at once, not after the wait");
  }

  private static Config config(String url, String waitSeconds) {
    Map<String, String> env = new HashMap<>(TestServer.baseEnv(DatabaseStartupWaitTest.class));
    env.put("MFA_DATABASE_URL", url);
    env.put("MFA_DATABASE_STARTUP_WAIT_SECONDS", waitSeconds);
    return Config.load(env);
  }
}
