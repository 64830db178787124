package dev.mfaservice.notify;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outbox work a worker has begun and not finished (a claim, the sends it claimed, and the
 * writes that record their outcome), so that its stop can wait for all of it.
 */
final class InFlight {
  private final AtomicInteger count = new AtomicInteger();
  private final Promise<Void> idle = Promise.promise();
  private volatile boolean awaited;

  /** Counts {@code work}, already begun, until it completes. */
  <T> Future<T> track(Future<T> work) {
    count.incrementAndGet();
    return work.andThen(done -> {
      if (count.decrementAndGet() == 0 && awaited) {
        idle.tryComplete();
      }
    });
  }

  int count() {
    return count.get();
  }

  /** True once nothing is in flight; false when that takes longer than {@code millis}. */
  Future<Boolean> drained(Vertx vertx, long millis) {
    awaited = true;
    if (count.get() == 0) {
      idle.tryComplete();
    }
    long timer = vertx.setTimer(Math.max(1, millis), t -> idle.tryFail("still in flight"));
    return idle.future().map(true).otherwise(false).andThen(done -> vertx.cancelTimer(timer));
  }
}
