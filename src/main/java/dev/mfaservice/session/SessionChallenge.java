package dev.mfaservice.session;

import dev.mfaservice.org.SecondFactorType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * A challenge a session can ask for ({@code challenges.<name>}): a login code sent or returned, a WebAuthn assertion
 * request. Runs after the checks, once the org policy allowed {@link #type()}.
 */
public interface SessionChallenge {
  /** The factor it checks (or challenges), whose policy must allow it. */
  SecondFactorType type();

  /** Its field under the request's {@code checks}/{@code challenges} and the answer's {@code factors}/{@code challenges}. */
  default String name() {
    return type().sessionField();
  }

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
