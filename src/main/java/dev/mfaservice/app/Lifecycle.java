package dev.mfaservice.app;

import dev.mfaservice.ids.MachineLease;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service in its process: one start, and one stop from the JVM's shutdown hook, which may come
 * while the start still runs (a {@code docker stop} right after {@code docker start}). Then the start
 * gives up at its next step and stops what it had started, and the hook waits for that, at most the
 * grace, rather than let the JVM end under it (an embedded PostgreSQL would be left running).
 */
public final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
  private final CompletableFuture<Application> started = new CompletableFuture<>();
  private final Config config;
  private volatile String stopReason;

  public Lifecycle(Config config) {
    this.config = config;
  }

  public Application start(Clock clock, SecureRandom random) {
    try {
      Application app = Application.start(config, clock, random, MachineLease.ID_SPACE, this::checkpoint);
      started.complete(app);
      return app;
    } catch (RuntimeException e) {
      started.completeExceptionally(e);
      throw e;
    }
  }

  /** From the shutdown hook: stops the service, or the start in progress. Returns when that is done or the grace is over. */
  public void stop(String reason) {
    stopReason = reason;
    if (!started.isDone()) {
      LOG.info("mfa-service asked to stop ({}) while starting: start-up gives up at its next step", reason);
    }
    int grace = config.http().shutdownSeconds();
    try {
      started.get(grace, TimeUnit.SECONDS).close(reason);
    } catch (ExecutionException e) {
      // the start failed or gave up, and stopped what it had started
    } catch (TimeoutException e) {
      LOG.warn("mfa-service still starting {} s after the stop began: exiting without stopping it", grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkpoint() {
    String reason = stopReason;
    if (reason != null) {
      throw new StartupException("stopped during start-up (" + reason + ")");
    }
  }
}
