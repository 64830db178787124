package dev.mfaservice.recovery;

import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.factors.UserFactor;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** SQL of recovery_codes: a user's one set of hashed, single-use codes. */
public final class RecoveryCodeRepository {
  private static final String DELETE = "delete from recovery_codes where user_id = $1";
  private static final String INSERT = """
    insert into recovery_codes (user_id, position, code_hash, key_id, created_at) values ($1, $2, $3, $4, $5)
    """;
  private static final String UNUSED = """
    select position, code_hash, key_id from recovery_codes where user_id = $1 and used_at is null order by position
    """;
  // Spends a code once: of two checks of one code, only the first finds used_at null.
  private static final String USE = """
    update recovery_codes set used_at = $3 where user_id = $1 and position = $2 and used_at is null
    """;
  private static final String LEFT = """
    select count(*) filter (where used_at is null) as left_, count(*) as total from recovery_codes where user_id = $1
    """;

  /** A stored code: where it is in its set and its keyed hash. */
  record StoredCode(int position, CodeHasher.Hashed hashed) {
  }

  /** Deletes the user's set; the number of codes it had (0 = there was none). */
  public Future<Integer> delete(SqlClient tx, String userId) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(userId)).map(rows -> rows.rowCount());
  }

  public Future<Void> insert(SqlClient tx, String userId, List<CodeHasher.Hashed> hashes, Instant at) {
    List<Tuple> batch = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      batch.add(Tuple.of(userId, i, Buffer.buffer(hashes.get(i).hash()), hashes.get(i).keyId(), at.atOffset(ZoneOffset.UTC)));
    }
    return tx.preparedQuery(INSERT).executeBatch(batch).mapEmpty();
  }

  Future<List<StoredCode>> unused(SqlClient tx, String userId) {
    return tx.preparedQuery(UNUSED).execute(Tuple.of(userId)).map(rows -> {
      List<StoredCode> codes = new ArrayList<>();
      rows.forEach(r -> codes.add(new StoredCode(r.getInteger("position"),
        new CodeHasher.Hashed(r.getBuffer("code_hash").getBytes(), r.getString("key_id")))));
      return codes;
    });
  }

  /** True if the code was unused and is now spent. */
  Future<Boolean> use(SqlClient tx, String userId, int position, Instant at) {
    return tx.preparedQuery(USE).execute(Tuple.of(userId, position, at.atOffset(ZoneOffset.UTC)))
      .map(rows -> rows.rowCount() == 1);
  }

  /**
   * The user's recovery codes in the factor lists while a set exists (ZITADEL's AuthFactor oneof has no entry for
   * them, so they appear in ListAuthenticationMethodTypes only), ready while a code is left; the detail carries how
   * many are left.
   */
  public Future<List<UserFactor>> factorsOf(SqlClient client, String userId) {
    return client.preparedQuery(LEFT).execute(Tuple.of(userId)).map(rows -> {
      var row = rows.iterator().next();
      return row.getLong("total") == 0 ? List.of()
        : List.of(new UserFactor(SecondFactorType.SECOND_FACTOR_TYPE_RECOVERY_CODES, row.getLong("left_") > 0, new JsonObject().put("codesLeft", row.getLong("left_"))));
    });
  }
}
