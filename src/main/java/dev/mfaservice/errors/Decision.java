package dev.mfaservice.errors;

import java.util.function.Function;

/**
 * What a rule decided about a request: accepted, with what was accepted, or refused with the error
 * the caller sees. Rules return it instead of a null error meaning "accepted".
 */
public sealed interface Decision<T> permits Decision.Accepted, Decision.Refused {

  record Accepted<T>(T value) implements Decision<T> {
  }

  record Refused<T>(ApiError reason) implements Decision<T> {
    public Refused {
      if (reason == null) {
        throw new IllegalArgumentException("a refusal names its reason");
      }
    }
  }

  static <T> Decision<T> accept(T value) {
    return new Accepted<>(value);
  }

  static Decision<Void> accept() {
    return new Accepted<>(null);
  }

  static <T> Decision<T> refuse(ApiError reason) {
    return new Refused<>(reason);
  }

  default boolean accepted() {
    return this instanceof Accepted;
  }

  /** The refusal's reason; null when accepted. */
  default ApiError reason() {
    return this instanceof Refused<T> refused ? refused.reason() : null;
  }

  /**
   * The accepted value, or the refusal thrown: where a command's answer is settled (in a Future's {@code map} the
   * refusal fails the future, e.g. after the transaction committed the counts of a refused code).
   */
  default T orElseThrow() {
    if (this instanceof Accepted<T> accepted) {
      return accepted.value();
    }
    throw reason();
  }

  /** An accepted value mapped; a refusal kept as it is. */
  default <U> Decision<U> map(Function<T, U> f) {
    return this instanceof Accepted<T> accepted ? new Accepted<>(f.apply(accepted.value())) : new Refused<>(reason());
  }
}
