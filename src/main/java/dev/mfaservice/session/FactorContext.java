package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.user.User;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a factor's check or challenge works with: the caller, the caller as the send limits count it (with the end
 * user's IP when the caller vouches for it), the user (its row locked for checks), and the session so far. A check
 * also finds here what its {@link SessionCheck#readAhead} read, and hands in writes that go out with the session's:
 * {@code inFlight} collects them for this one step, whose result carries them on (see {@link Progress#sending}).
 */
public record FactorContext(Caller caller, Caller sender, User user, Session session, Future<?> ahead,
                            List<Future<?>> inFlight) {

  /** What this check's {@link SessionCheck#readAhead} sent with the user's read, else {@code read} now. */
  @SuppressWarnings("unchecked")
  public <R> Future<R> readAhead(Supplier<Future<R>> read) {
    return ahead != null ? (Future<R>) ahead : read.get();
  }

  /**
   * A write sent and not waited for: it goes out with the session's writes and the COMMIT, in one round trip. Only a
   * write that cannot miss may be sent so (the rows it moves locked and read by this transaction): should it fail,
   * the whole request is rolled back.
   */
  public void sendWithSession(Future<?> write) {
    inFlight.add(write);
  }
}
