package dev.mfaservice.bench;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open loop at a fixed rate: request n is due at start + n / rate whatever the earlier ones did, and its latency
 * counts from when it was due, so a stall shows in the percentiles (no coordinated omission). At most as many in
 * flight as the client has connections; the others wait in the client's queue, and that wait counts.
 */
final class OpenLoop {
  private final Vertx vertx;
  private final double rate;
  private final long maxRequests;
  /** Requests sent by earlier runs of this client (a warm-up's): a run numbers its requests on from there. */
  private long sentBefore;

  OpenLoop(Vertx vertx, double rate, long maxRequests) {
    this.vertx = vertx;
    this.rate = rate;
    this.maxRequests = maxRequests;
  }

  /** Runs for {@code seconds} (or maxRequests, when > 0), {@code onStart} as the measured part begins. */
  Result run(Request request, int seconds, Runnable onStart) throws InterruptedException {
    Schedule schedule = new Schedule(request, new Recorder(true));
    onStart.run();
    long startedMillis = System.currentTimeMillis();
    schedule.start(seconds);
    vertx.setPeriodic(1, schedule::tick);
    schedule.finished.await();
    sentBefore += schedule.planned.get();
    return schedule.recorder.result(System.currentTimeMillis() - startedMillis);
  }

  /** One run's timetable, checked every millisecond on the event loop. */
  private final class Schedule {
    final Request request;
    final Recorder recorder;
    final AtomicLong planned = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    final CountDownLatch finished = new CountDownLatch(1);
    final double period = 1e9 / rate;
    long t0;
    long endNanos;

    Schedule(Request request, Recorder recorder) {
      this.request = request;
      this.recorder = recorder;
    }

    void start(int seconds) {
      t0 = System.nanoTime();
      endNanos = t0 + seconds * 1_000_000_000L;
    }

    /** Sends every request due by now; once over (time, count or users) and none in flight, ends the run. */
    void tick(long timer) {
      long now = System.nanoTime();
      boolean over = now >= endNanos || recorder.ranOut() || (maxRequests > 0 && planned.get() >= maxRequests);
      while (!over && due(planned.get()) <= now) {
        long due = due(planned.get());
        inFlight.incrementAndGet();
        request.send(sentBefore + planned.getAndIncrement()).onComplete(r -> {
          recorder.record(r, due);
          inFlight.decrementAndGet();
        });
      }
      if (over && inFlight.get() == 0) {
        vertx.cancelTimer(timer);
        finished.countDown();
      }
    }

    private long due(long n) {
      return t0 + (long) (n * period);
    }
  }
}
