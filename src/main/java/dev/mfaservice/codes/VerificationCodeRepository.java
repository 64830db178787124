package dev.mfaservice.codes;

import dev.mfaservice.crypto.CodeHasher;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL of verification_codes. */
public final class VerificationCodeRepository {
  private static final String VOID_PENDING = """
    update verification_codes set voided_at = $4
    where user_id = $1 and purpose = $2 and target_id = $3 and used_at is null and voided_at is null
    """;
  private static final String VOID_ALL_OF_USER = """
    update verification_codes set voided_at = $3
    where user_id = $1 and purpose = $2 and used_at is null and voided_at is null
    """;
  private static final String INSERT = """
    insert into verification_codes (id, user_id, purpose, target_id, address, code_hash, hash_key_id, expires_at, created_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    """;
  // The newest live code of the target, locked: checks of one code run one after another.
  private static final String PENDING = """
    select id, target_id, address, code_hash, hash_key_id, expires_at, failed_attempts from verification_codes
    where user_id = $1 and purpose = $2 and target_id = $3 and used_at is null and voided_at is null
    order by created_at desc limit 1 for update
    """;
  // The same for a purpose whose codes all go to one target (a login code: the user's one authenticator of a channel).
  private static final String PENDING_OF_PURPOSE = PENDING.replace(" and target_id = $3", "");
  // SEC O7: a miss is counted, a code past its misses is dead (the row is locked: counts stay exact).
  private static final String COUNT_MISS = "update verification_codes set failed_attempts = failed_attempts + 1 where id = $1";
  private static final String ACCEPT = "update verification_codes set used_at = $2 where id = $1 and used_at is null";

  /** A live code, as read under its row's lock. */
  public record Pending(String id, String targetId, String address, CodeHasher.Hashed hash, Instant expiresAt,
                        int failedAttempts) {
  }

  Future<Void> voidPending(SqlClient tx, CodeTarget t, Instant at) {
    return tx.preparedQuery(VOID_PENDING).execute(Tuple.of(t.userId(), t.purpose().name(), t.targetId(),
      at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  /** Voids every live code of a purpose for the user, e.g. when its contact address changes (SEC O4). */
  public Future<Void> voidAll(SqlClient tx, String userId, Purpose purpose, Instant at) {
    return tx.preparedQuery(VOID_ALL_OF_USER).execute(Tuple.of(userId, purpose.name(), at.atOffset(ZoneOffset.UTC)))
      .mapEmpty();
  }

  Future<Void> insert(SqlClient tx, String id, CodeTarget t, CodeHasher.Hashed hash, Instant expiresAt, Instant at) {
    return tx.preparedQuery(INSERT).execute(Tuple.tuple().addString(id).addString(t.userId()).addString(t.purpose().name())
      .addString(t.targetId()).addString(t.address()).addBuffer(Buffer.buffer(hash.hash())).addString(hash.keyId())
      .addOffsetDateTime(expiresAt.atOffset(ZoneOffset.UTC)).addOffsetDateTime(at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  Future<Optional<Pending>> pending(SqlClient tx, CodeTarget t) {
    return tx.preparedQuery(PENDING).execute(Tuple.of(t.userId(), t.purpose().name(), t.targetId()))
      .map(VerificationCodeRepository::first);
  }

  Future<Optional<Pending>> pendingOfPurpose(SqlClient tx, String userId, Purpose purpose) {
    return tx.preparedQuery(PENDING_OF_PURPOSE).execute(Tuple.of(userId, purpose.name()))
      .map(VerificationCodeRepository::first);
  }

  Future<Void> countMiss(SqlClient tx, String id) {
    return tx.preparedQuery(COUNT_MISS).execute(Tuple.of(id)).mapEmpty();
  }

  /** Marks the code used. */
  Future<Void> accept(SqlClient tx, String id, Instant at) {
    return tx.preparedQuery(ACCEPT).execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  private static Optional<Pending> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row r = rows.iterator().next();
    return Optional.of(new Pending(r.getString("id"), r.getString("target_id"), r.getString("address"),
      new CodeHasher.Hashed(r.getBuffer("code_hash").getBytes(), r.getString("hash_key_id")),
      r.getOffsetDateTime("expires_at").toInstant(), r.getInteger("failed_attempts")));
  }
}
