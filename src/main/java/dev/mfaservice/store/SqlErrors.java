package dev.mfaservice.store;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Translates PostgreSQL errors into API errors at the repository edge, and only there. A unique
 * violation names its constraint; the matching one becomes the caller's error, others pass on.
 */
public final class SqlErrors {
  static final String UNIQUE_VIOLATION = "23505";

  private SqlErrors() {
  }

  public static <T> Function<Throwable, Future<T>> onUnique(String constraint, Supplier<ApiError> error) {
    return failure -> {
      if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && constraint.equals(pg.getConstraint())) {
        return Future.failedFuture(error.get());
      }
      return Future.failedFuture(failure);
    };
  }
}
