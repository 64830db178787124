package dev.mfaservice.support;

import java.util.function.BooleanSupplier;

/** Polling with a deadline, for what happens after a response (a worker sending, a row changing): never a fixed sleep. */
public final class Await {
  private Await() {
  }

  public static void until(BooleanSupplier condition, String what) {
    long deadline = System.currentTimeMillis() + 15_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
