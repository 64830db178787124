package dev.mfaservice.session;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * A {@link SessionCheck} that a sign-in can decide without locks or a transaction ({@link SessionFastPath}): its state
 * read unlocked, the code compared, then a write of its own that holds only if its state has not moved meanwhile (a
 * TOTP factor's replay guard), sent inside the session's one statement. It decides only acceptance: anything it does
 * not accept goes the locked way, where the check runs (and a refusal is counted) as always.
 */
public interface OptimisticCheck {
  /** The factor's state for the user, read without a lock; sent with the user's read. */
  Future<?> read(SqlClient client, String userId, JsonObject check);

  /**
   * On what {@link #read} gave ({@link FactorContext#ahead}, completed): the write that records an accepted check,
   * or empty when the check does not accept it here (a wrong code, no factor, anything unusual).
   */
  Optional<GuardedWrite> accept(FactorContext ctx, JsonObject check);

  /**
   * What an accepted check records under {@code factors.<name>} (with verifiedAt), and its write: {@code sql} gives,
   * for the number of its first parameter, a data-modifying statement (a CTE of the session's statement) that moves
   * its row only when the CTE {@code guard} has a row ({@code and exists (select from guard)}) and the row is still as
   * read, and returns a row when it moved it; {@code params} its parameters in order.
   */
  record GuardedWrite(JsonObject proof, java.util.function.IntFunction<String> sql, Tuple params) {
  }
}
