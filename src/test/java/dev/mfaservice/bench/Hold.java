package dev.mfaservice.bench;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/** hold: many idle keep-alive connections, each sending GET /healthz every 5 s; reported as hold-N. */
final class Hold {
  private final Driver driver;
  private final ConcurrentHistogram latency = new ConcurrentHistogram(3);
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final CountDownLatch finished;
  private final long end;

  Hold(Driver driver) {
    this.driver = driver;
    this.finished = new CountDownLatch(driver.options().connections());
    this.end = System.currentTimeMillis() + driver.options().seconds() * 1000L;
  }

  void run() throws InterruptedException {
    int connections = driver.options().connections();
    for (int i = 0; i < connections; i++) {
      long startDelay = (long) (Math.random() * 5000);
      driver.api().vertx().setTimer(1 + startDelay, t -> loop());
    }
    finished.await();
    driver.report("hold-" + connections,
      new Result(latency, done.get(), errors.get(), 0, driver.options().seconds() * 1000L, false, 0, List.of()));
  }

  private void loop() {
    if (System.currentTimeMillis() > end) {
      finished.countDown();
      return;
    }
    long start = System.nanoTime();
    driver.api().call(HttpMethod.GET, "/healthz", null, false).onComplete(r -> {
      if (r.succeeded()) {
        latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        done.incrementAndGet();
      } else {
        errors.incrementAndGet();
      }
      driver.api().vertx().setTimer(5000, t -> loop());
    });
  }
}
