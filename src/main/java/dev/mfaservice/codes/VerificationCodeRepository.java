package dev.mfaservice.codes;

import dev.mfaservice.crypto.CodeHasher;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
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
    select id, address, code_hash, hash_key_id, expires_at, failed_attempts from verification_codes
    where user_id = $1 and purpose = $2 and target_id = $3 and used_at is null and voided_at is null
    order by created_at desc limit 1 for update
    """;
  // SEC O7: the miss is counted before the comparison; a code past its misses is dead.
  private static final String COUNT_ATTEMPT = """
    update verification_codes set failed_attempts = failed_attempts + 1 where id = $1 and failed_attempts < $2
    returning failed_attempts
    """;
  private static final String ACCEPT = """
    update verification_codes set used_at = $2, failed_attempts = failed_attempts - 1 where id = $1 and used_at is null
    """;

  record Pending(String id, String address, CodeHasher.Hashed hash, Instant expiresAt) {
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
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toPending(rows.iterator().next())));
  }

  /** True if the attempt may be compared (the code has misses left), after counting it. */
  Future<Boolean> countAttempt(SqlClient tx, String id, int maxAttempts) {
    return tx.preparedQuery(COUNT_ATTEMPT).execute(Tuple.of(id, maxAttempts)).map(rows -> rows.size() == 1);
  }

  /** Marks the code used; the attempt that found it right is not a miss. */
  Future<Void> accept(SqlClient tx, String id, Instant at) {
    return tx.preparedQuery(ACCEPT).execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  private static Pending toPending(Row r) {
    return new Pending(r.getString("id"), r.getString("address"),
      new CodeHasher.Hashed(r.getBuffer("code_hash").getBytes(), r.getString("hash_key_id")),
      r.getOffsetDateTime("expires_at").toInstant());
  }
}
