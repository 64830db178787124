package dev.mfaservice.bench;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The closed loop: each connection one request in flight, the next sent as the last one answers (as wrk). */
final class ClosedLoop {
  private final Vertx vertx;
  private final int connections;
  private final long maxRequests;

  ClosedLoop(Vertx vertx, int connections, long maxRequests) {
    this.vertx = vertx;
    this.connections = connections;
    this.maxRequests = maxRequests;
  }

  /** Runs for {@code seconds} (or maxRequests, when > 0), {@code onStart} as the measured part begins. */
  Result run(Request request, int seconds, Runnable onStart) throws InterruptedException {
    Recorder recorder = new Recorder(false);
    onStart.run();
    long started = System.currentTimeMillis();
    Run run = new Run(request, started + seconds * 1000L, recorder, new AtomicLong(), new CountDownLatch(connections));
    for (int i = 0; i < connections; i++) {
      vertx.runOnContext(v -> loop(run));
    }
    run.finished().await();
    return recorder.result(System.currentTimeMillis() - started);
  }

  private record Run(Request request, long end, Recorder recorder, AtomicLong sequence, CountDownLatch finished) {
  }

  /** One connection's loop: the next request when the last one answered, until the time, the count or the users end. */
  private void loop(Run run) {
    long n = run.sequence().getAndIncrement();
    if (System.currentTimeMillis() >= run.end() || (maxRequests > 0 && n >= maxRequests)) {
      run.finished().countDown();
      return;
    }
    long start = System.nanoTime();
    run.request().send(n).onComplete(r -> {
      if (!run.recorder().record(r, start)) {
        run.finished().countDown();
        return;
      }
      loop(run);
    });
  }
}
