package dev.mfaservice.twilioverify;

import io.vertx.core.Future;

/**
 * What a check of a code left, committed: the resource, or the error to answer instead (the miss that used up the
 * attempts, an expiry), whose writes are kept all the same.
 */
record Judged<T>(T value, TwilioError error) {

  static <T> Judged<T> of(T value) {
    return new Judged<>(value, null);
  }

  static <T> Judged<T> refused(TwilioError error) {
    return new Judged<>(null, error);
  }

  /** After the commit: the value, or the error. */
  Future<T> answer() {
    return error == null ? Future.succeededFuture(value) : Future.failedFuture(error);
  }
}
