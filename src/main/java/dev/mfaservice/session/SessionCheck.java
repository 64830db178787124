package dev.mfaservice.session;

import dev.mfaservice.errors.Decision;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.user.Lockout;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * One second factor a session can check ({@code checks.<name>}). SessionCommands runs it with the user's row locked,
 * after the org policy allowed {@link #type()} and the attempt was counted; it records what the check proved
 * under {@code factors.<name>} with {@code verifiedAt} and the fields the check's acceptance carries.
 */
public interface SessionCheck {
  /** The factor it checks (or challenges), whose policy must allow it. */
  SecondFactorType type();

  /** Its field under the request's {@code checks}/{@code challenges} and the answer's {@code factors}/{@code challenges}. */
  default String name() {
    return type().sessionField();
  }

  /**
   * The factor's state for the user, sent right behind the user's locked read (the same round trip) when the request
   * names the user: {@link FactorContext#readAhead} gives it to {@link #verify}. With the session's id and this check's
   * part of the request ({@code checks.<name>}) for a factor whose state hangs on them. Null (the default) reads
   * nothing ahead.
   */
  default Future<?> readAhead(SqlConnection tx, String userId, String sessionId, JsonObject check) {
    return null;
  }

  /**
   * The check's optimistic form, when a sign-in whose only check it is may be decided without locks
   * ({@link SessionFastPath}); null (the default): it always runs in the locked transaction.
   */
  default OptimisticCheck optimistic() {
    return null;
  }

  /** The event a refused check appends to the user (with {@code {factor}}); ZITADEL names some per factor. */
  default String failedEvent() {
    return Lockout.CHECK_FAILED;
  }

  /**
   * Accepted when the check proves the factor, with the extra fields for {@code factors.<name>} (none: an empty
   * object); refused otherwise, which counts towards the user's lockout. A failed future rolls the whole request back.
   */
  Future<Decision<JsonObject>> verify(SqlConnection tx, FactorContext ctx, JsonObject check);
}
