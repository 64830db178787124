package dev.mfaservice.bench;

import io.vertx.core.AsyncResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A run's tally as answers come: latencies in an HdrHistogram, successes, errors (one logged a second at most), and of
 * the errors the refusals ({@link Request#refused}); and, when asked (the fixed rate's), the latencies by the second the
 * request was sent (or due) in, counted from the recorder's start, so that a stall shows when it happened.
 */
final class Recorder {
  private final ConcurrentHistogram latency = new ConcurrentHistogram(3);
  private final long originNanos = System.nanoTime();
  private final long originMillis = System.currentTimeMillis();
  private final List<Histogram> bySecond = new ArrayList<>();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong lastError = new AtomicLong();
  private volatile boolean ranOut;
  private final boolean timeline;

  /** @param timeline whether to keep the latencies by second too */
  Recorder(boolean timeline) {
    this.timeline = timeline;
  }

  /** Counts an answer to a request sent (or due) at {@code startNanos}; false when the run ran out of users. */
  boolean record(AsyncResult<String> r, long startNanos) {
    if (r.succeeded()) {
      long micros = Math.max(1, (System.nanoTime() - startNanos) / 1000);
      latency.recordValue(micros);
      if (timeline) {
        second((int) Math.max(0, (startNanos - originNanos) / 1_000_000_000L)).recordValue(micros);
      }
      done.incrementAndGet();
    } else if (Request.OUT_OF_USERS.equals(r.cause().getMessage())) {
      ranOut = true;
      return false;
    } else {
      errors.incrementAndGet();
      if (String.valueOf(r.cause().getMessage()).startsWith(Request.REFUSED)) {
        refused.incrementAndGet();
      }
      if (System.currentTimeMillis() - lastError.get() > 1000) {
        lastError.set(System.currentTimeMillis());
        System.err.println("error: " + r.cause().getMessage());
      }
    }
    return true;
  }

  private synchronized Histogram second(int second) {
    while (bySecond.size() <= second) {
      bySecond.add(new Histogram(3));
    }
    return bySecond.get(second);
  }

  boolean ranOut() {
    return ranOut;
  }

  Result result(long millis) {
    synchronized (this) {
      return new Result(latency, done.get(), errors.get(), refused.get(), millis, ranOut, originMillis,
        List.copyOf(bySecond));
    }
  }
}
