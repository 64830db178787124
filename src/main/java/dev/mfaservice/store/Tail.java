package dev.mfaservice.store;

import io.vertx.core.Future;

/**
 * How a command's work ends for {@link Transactions#runWithTail}: its last writes sent on the transaction's connection
 * and not yet answered; {@code result} completes with their answers. COMMIT goes out right behind them. The result
 * must fail only through the database (a statement refused), never after PostgreSQL accepted the writes.
 */
public record Tail<T>(Future<T> result) {
  public static <T> Tail<T> of(Future<T> result) {
    return new Tail<>(result);
  }

  public static <T> Tail<T> done(T value) {
    return new Tail<>(Future.succeededFuture(value));
  }
}
