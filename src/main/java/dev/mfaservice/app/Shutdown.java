package dev.mfaservice.app;

import dev.mfaservice.ids.MachineLease;
import dev.mfaservice.notify.OutboxWorker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the service stops, in this order: the API takes no new connections and lets the
 * requests in flight finish; the outbox workers finish their sends in flight (so none is sent twice);
 * the machine id lease is released; the pool and Vert.x close; the embedded PostgreSQL stops last,
 * as the steps before still write to it. It also undoes a start that got part of the way: each
 * part is added once it runs. Every step is bounded and a failed one does not stop the next.
 */
final class Shutdown {
  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);
  /** Beyond the grace: for a step that closes what its drain left, or writes one row. */
  private static final long STEP_MILLIS = 5_000;
  /** Sends in flight get at least this long, even when the API's drain used up the grace. */
  private static final long MIN_SEND_WAIT_MILLIS = 1_000;

  private final long graceMillis;
  private final AtomicBoolean begun = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final List<String> apis = new ArrayList<>();
  private final Map<String, OutboxWorker> workers = new LinkedHashMap<>();
  private EmbeddedDatabase embedded;
  private Vertx vertx;
  private Pool pool;
  private MachineLease lease;
  private boolean interrupted;

  Shutdown(int graceSeconds) {
    this.graceMillis = TimeUnit.SECONDS.toMillis(graceSeconds);
  }

  void embedded(EmbeddedDatabase database) {
    embedded = database;
  }

  void vertx(Vertx running) {
    vertx = running;
  }

  void pool(Pool shared) {
    pool = shared;
  }

  void lease(MachineLease leased) {
    lease = leased;
  }

  void worker(String deploymentId, OutboxWorker worker) {
    workers.put(deploymentId, worker);
  }

  void api(String deploymentId) {
    apis.add(deploymentId);
  }

  /** Runs once (a later call waits for the first); {@code reason} says why in the first log line. */
  void run(String reason) {
    if (!begun.compareAndSet(false, true)) {
      awaitFinished();
      return;
    }
    try {
      stopAll(reason);
    } finally {
      finished.countDown();
    }
  }

  private void stopAll(String reason) {
    long began = System.nanoTime();
    if (apis.isEmpty()) {
      LOG.info("mfa-service stopping ({})", reason);
    } else {
      LOG.info("mfa-service stopping ({}): no new connections, requests in flight get up to {} s", reason, graceMillis / 1000);
    }
    stopVerticles(began);
    if (lease != null) {
      step("release the machine id", lease.release(), STEP_MILLIS);
    }
    if (pool != null) {
      step("close the database pool", pool.close(), STEP_MILLIS);
    }
    if (vertx != null) {
      step("close Vert.x", vertx.close(), 2 * STEP_MILLIS);
    }
    stopEmbedded();
    LOG.info("mfa-service stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The API first (its requests may still queue messages), then the workers, with what is left of the grace. */
  private void stopVerticles(long began) {
    apis.forEach(id -> step("stop the API", vertx.undeploy(id), graceMillis + STEP_MILLIS));
    long sendWait = Math.max(MIN_SEND_WAIT_MILLIS, graceMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    workers.values().forEach(w -> w.stopWaitingAtMost(Duration.ofMillis(sendWait)));
    workers.keySet().forEach(id -> step("stop the outbox worker", vertx.undeploy(id), sendWait + STEP_MILLIS));
  }

  private void awaitFinished() {
    try {
      if (!finished.await(graceMillis + 6 * STEP_MILLIS, TimeUnit.MILLISECONDS)) {
        LOG.warn("the stop begun elsewhere is still running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopEmbedded() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (StartupException e) {
        LOG.warn("{}", e.getMessage());
      }
    }
  }

  /** Waits for one step; an interrupt is kept for the end, so that the later steps still run. */
  private void step(String what, Future<?> done, long millis) {
    try {
      done.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      LOG.warn("cannot {}: {}", what, EmbeddedDatabase.rootMessage(e));
    } catch (TimeoutException e) {
      LOG.warn("cannot {}: not done after {} ms, going on", what, millis);
    } catch (InterruptedException e) {
      interrupted = true;
      LOG.warn("cannot {}: interrupted, going on", what);
    }
  }
}
