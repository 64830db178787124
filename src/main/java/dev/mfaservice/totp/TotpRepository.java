package dev.mfaservice.totp;

import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.factors.UserFactor;
import dev.mfaservice.store.Event;
import dev.mfaservice.user.UserChanges;
import dev.mfaservice.user.UserRepository;
import io.vertx.core.json.JsonObject;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL of the totp_factors table. */
public final class TotpRepository {
  private static final String COLUMNS = """
    select user_id, secret_sealed, algorithm, digits, period_seconds, verified, last_used_step, created_at
    from totp_factors where user_id = $1
    """;
  private static final String FIND_FOR_UPDATE = COLUMNS + " for update";
  // A new registration replaces a pending one, never a verified one.
  private static final String PENDING = """
    insert into totp_factors (user_id, secret_sealed, algorithm, digits, period_seconds, verified, last_used_step, created_at)
    select $2::text, $9::bytea, $10::text, $11::integer, $12::integer, false, 0, $8::timestamptz %s
    on conflict (user_id) do update
      set secret_sealed = excluded.secret_sealed, algorithm = excluded.algorithm, digits = excluded.digits,
          period_seconds = excluded.period_seconds, last_used_step = 0, created_at = excluded.created_at
      where totp_factors.verified = false
    """;
  /** The registration's event (the user's row moved to it) and the pending factor, in one statement. */
  private static final String ADD_PENDING = UserRepository.appendAndTouch("pending as (" + PENDING.formatted("") + "), ");
  /** The same, for a registration that read the user without a lock: written only if the user is unchanged. */
  private static final String ADD_PENDING_IF_UNCHANGED = UserRepository.appendAndTouchIfUnchanged(
    "pending as (" + PENDING.formatted("where exists (select from appended)") + "), ");
  // The replay guard (SEC T5): only a step newer than every accepted one moves the row.
  private static final String ACCEPT_STEP = """
    update totp_factors set verified = true, verified_at = coalesce(verified_at, $3), last_used_step = $2
    where user_id = $1 and last_used_step < $2
    """;
  private static final String DELETE = "delete from totp_factors where user_id = $1 returning verified";
  private static final String GUARDED_STEP = """
    update totp_factors set last_used_step = $%2$d::bigint
    where user_id = $%1$d::text and verified and last_used_step < $%2$d::bigint and exists (select from guard)
    returning 1""";
  private static final String STATE = "select verified from totp_factors where user_id = $1";

  /** The factor, locked for the rest of the transaction so concurrent checks of it run one after another. */
  public Future<Optional<TotpFactor>> findForUpdate(SqlClient tx, String userId) {
    return find(tx, userId, true);
  }

  /** The factor; {@code lock} false reads it without a lock (the optimistic ways of a sign-in and a registration). */
  public Future<Optional<TotpFactor>> find(SqlClient client, String userId, boolean lock) {
    return client.preparedQuery(lock ? FIND_FOR_UPDATE : COLUMNS).execute(Tuple.of(userId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toFactor(rows.iterator().next())));
  }

  /**
   * The replay guard as a CTE of a sign-in's one statement (session/OptimisticCheck): the step ($first + 1) taken
   * only if it is newer than every accepted one, the factor of user $first still verified, and {@code guard} holding.
   */
  static String guardedStep(int first) {
    return GUARDED_STEP.formatted(first, first + 1);
  }

  /** {@code added} (the user's event, stamped at the factor's creation) stored with the pending factor. */
  public Future<Void> addPending(SqlClient tx, UserChanges changes, Event added, byte[] sealedSecret, TotpParameters s) {
    return changes.write(tx, added, ADD_PENDING, Tuple.of(Buffer.buffer(sealedSecret), s.algorithm(), s.digits(),
      s.periodSeconds())).mapEmpty();
  }

  /** As {@link #addPending}, for a registration that read the user without a lock: false when the user had changed. */
  public Future<Boolean> addPendingIfUnchanged(SqlClient client, UserChanges changes, Event added, byte[] sealedSecret,
                                               TotpParameters s) {
    return changes.writeIfUnchanged(client, added, ADD_PENDING_IF_UNCHANGED, Tuple.of(Buffer.buffer(sealedSecret),
      s.algorithm(), s.digits(), s.periodSeconds())).map(Optional::isPresent);
  }

  /** True if {@code step} was newer than every accepted step and is now the last one. */
  public Future<Boolean> acceptStep(SqlClient tx, String userId, long step, Instant at) {
    return tx.preparedQuery(ACCEPT_STEP).execute(Tuple.of(userId, step, at.atOffset(ZoneOffset.UTC)))
      .map(rows -> rows.rowCount() == 1);
  }

  /** Empty when there was nothing to delete; else whether the deleted factor was verified. */
  public Future<Optional<Boolean>> delete(SqlClient tx, String userId) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(userId)).map(rows -> rows.size() == 0 ? Optional.empty()
      : Optional.of(rows.iterator().next().getBoolean("verified")));
  }

  /** The user's authenticator app in the factor lists: ready once verified. */
  public Future<List<UserFactor>> factorsOf(SqlClient client, String userId) {
    return client.preparedQuery(STATE).execute(Tuple.of(userId)).map(rows -> rows.size() == 0 ? List.of()
      : List.of(new UserFactor(SecondFactorType.SECOND_FACTOR_TYPE_OTP, rows.iterator().next().getBoolean("verified"), new JsonObject())));
  }

  private static TotpFactor toFactor(Row r) {
    return new TotpFactor(r.getString("user_id"), r.getBuffer("secret_sealed").getBytes(),
      new TotpParameters(r.getString("algorithm"), r.getInteger("digits"), r.getInteger("period_seconds")),
      r.getBoolean("verified"), r.getLong("last_used_step"), r.getOffsetDateTime("created_at").toInstant());
  }
}
