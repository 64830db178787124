package dev.mfaservice.twilioverify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL of verify_verifications, every query scoped by org and Service. */
final class VerificationRepository {
  private static final String COLUMNS = """
    sid, org_id, service_sid, account_sid, to_address, channel, status, code_sealed, failed_checks, attempts,
    expires_at, sequence, created_at, updated_at, amount, payee, lookup""";
  private static final String UPSERT = "insert into verify_verifications (" + COLUMNS + """
    ) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
    on conflict (sid) do update set status = $7, code_sealed = $8, failed_checks = $9, attempts = $10, sequence = $12,
      updated_at = $14
    """;
  private static final String BY_SID = "select " + COLUMNS
    + " from verify_verifications where org_id = $1 and service_sid = $2 and sid = $3";
  // the statuses written out, not a parameter: so the planner proves the partial index's predicate (V20)
  private static final String BY_TO = "select " + COLUMNS + " from " + """
     verify_verifications where org_id = $1 and service_sid = $2 and to_address = $3 and status in (%s)
     order by created_at desc limit 1 for update""";
  static final String PENDING_TO = BY_TO.formatted("'pending'");
  static final String LIVE_TO = BY_TO.formatted("'pending', 'max_attempts_reached'");

  Future<Void> save(SqlClient tx, Verification v) {
    return tx.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {v.sid(), v.orgId(), v.serviceSid(), v.accountSid(),
      v.to(), v.channel(), v.status(), v.codeSealed() == null ? null : io.vertx.core.buffer.Buffer.buffer(v.codeSealed()),
      v.failedChecks(), v.attempts(), v.expiresAt().atOffset(ZoneOffset.UTC), v.sequence(),
      v.createdAt().atOffset(ZoneOffset.UTC), v.updatedAt().atOffset(ZoneOffset.UTC), v.transaction().amount(),
      v.transaction().payee(), v.lookup()})).mapEmpty();
  }

  /** Creates to one To of one Service run one after another (a transaction-scoped advisory lock). */
  Future<Void> lockTo(SqlClient tx, String serviceSid, String to) {
    return tx.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 28))").execute(Tuple.of(serviceSid + "|" + to))
      .mapEmpty();
  }

  Future<Optional<Verification>> find(SqlClient client, String orgId, String serviceSid, String sid, boolean lock) {
    return one(client, BY_SID + (lock ? " for update" : ""), Tuple.of(orgId, serviceSid, sid));
  }

  /** The newest pending verification of the Service for {@code to}, locked. */
  Future<Optional<Verification>> pendingTo(SqlClient tx, String orgId, String serviceSid, String to) {
    return one(tx, PENDING_TO, Tuple.of(orgId, serviceSid, to));
  }

  /** The newest pending or out-of-checks verification of the Service for {@code to}, locked (for a check). */
  Future<Optional<Verification>> latestTo(SqlClient tx, String orgId, String serviceSid, String to) {
    return one(tx, LIVE_TO, Tuple.of(orgId, serviceSid, to));
  }

  private static Future<Optional<Verification>> one(SqlClient client, String sql, Tuple args) {
    return client.preparedQuery(sql).execute(args)
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(verification(rows.iterator().next())));
  }

  private static Verification verification(Row r) {
    var sealed = r.getBuffer("code_sealed");
    Object attempts = r.getValue("attempts");
    return new Verification(r.getString("sid"), r.getString("org_id"), r.getString("service_sid"),
      r.getString("account_sid"), r.getString("to_address"), r.getString("channel"), r.getString("status"),
      sealed == null ? null : sealed.getBytes(), r.getInteger("failed_checks"),
      attempts instanceof JsonArray a ? a : new JsonArray(String.valueOf(attempts)),
      r.getOffsetDateTime("expires_at").toInstant(), r.getLong("sequence"),
      r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant(),
      new VerificationRequest.Transaction(r.getString("amount"), r.getString("payee")), json(r.getValue("lookup")));
  }

  private static JsonObject json(Object value) {
    return value == null ? null : value instanceof JsonObject o ? o : new JsonObject(String.valueOf(value));
  }
}
