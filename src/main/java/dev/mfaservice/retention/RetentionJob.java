package dev.mfaservice.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link RetentionSweep} at start and every {@code sweepSeconds}, one pass at a time in this instance (and,
 * through the sweep's lock, one at a time across instances). A pass that did something logs one line (tables, counts
 * and partition names: nothing secret) and counts it in {@code mfa_retention_deleted_rows_total}.
 */
public final class RetentionJob extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  private final RetentionSweep sweep;
  private final RetentionSettings settings;
  private final MeterRegistry registry;
  private long timer;
  private boolean running;

  public RetentionJob(RetentionSweep sweep, RetentionSettings settings, MeterRegistry registry) {
    this.sweep = sweep;
    this.settings = settings;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(settings.sweepSeconds() * 1000L, t -> pass());
    pass();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void pass() {
    if (running) {
      return;
    }
    running = true;
    long started = System.nanoTime();
    sweep.run().onComplete(done -> running = false)
      .onSuccess(report -> {
        report.deleted().forEach((table, rows) -> Counter.builder("mfa.retention.deleted.rows")
          .description("Dead rows the retention job deleted").tag("table", table).register(registry).increment(rows));
        if (report.didSomething()) {
          LOG.info("retention pass: {} in {} ms", report, (System.nanoTime() - started) / 1_000_000);
        } else {
          LOG.debug("retention pass: {}", report);
        }
      })
      .onFailure(e -> LOG.warn("retention pass failed (the next one tries again): {}", e.toString()));
  }
}
