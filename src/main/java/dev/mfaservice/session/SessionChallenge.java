package dev.mfaservice.session;

import dev.mfaservice.org.SecondFactorType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * A challenge a session can ask for ({@code challenges.<name>}): a login code sent or returned, a WebAuthn assertion
 * request. Runs after the checks, once the org policy allowed {@link #policyType()}.
 */
public interface SessionChallenge {
  /** Its field under the request's and the answer's {@code challenges}. */
  String name();

  SecondFactorType policyType();

  /** What the challenge gives back, and work that may start only once the transaction committed (a send). */
  record Issued(Object answer, Runnable afterCommit) {
    public static Issued of(Object answer) {
      return new Issued(answer, () -> { });
    }
  }

  /** As {@link SessionCheck#readAhead}: state sent with the user's read; {@link FactorContext#readAhead} gives it back. */
  default Future<?> readAhead(SqlConnection tx, String userId) {
    return null;
  }

  /** {@code answer} null: nothing under the answer's challenges. */
  Future<Issued> issue(SqlConnection tx, FactorContext ctx, JsonObject request);
}
