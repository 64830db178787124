package dev.mfaservice.twilioverify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** SQL of verify_services. Every query is scoped by org: another org's Service does not exist for a caller. */
final class VerifyServiceRepository {
  private static final String COLUMNS = """
    sid, org_id, account_sid, friendly_name, code_length, lookup_enabled, skip_sms_to_landlines, psd2_enabled,
    do_not_share_warning_enabled, custom_code_enabled, totp_issuer, totp_time_step, totp_code_length, totp_skew,
    sequence, created_at, updated_at""";
  private static final String UPSERT = "insert into verify_services (" + COLUMNS + """
    ) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
    on conflict (sid) do update set friendly_name = $4, code_length = $5, lookup_enabled = $6,
      skip_sms_to_landlines = $7, psd2_enabled = $8, do_not_share_warning_enabled = $9, custom_code_enabled = $10,
      totp_issuer = $11, totp_time_step = $12, totp_code_length = $13, totp_skew = $14, sequence = $15, updated_at = $17
    """;
  private static final String FIND = "select " + COLUMNS + " from verify_services where org_id = $1 and sid = $2";
  private static final String LOCK = FIND + " for update";
  private static final String PAGE = "select " + COLUMNS
    + " from verify_services where org_id = $1 order by created_at, sid limit $2 offset $3";
  private static final String DELETE = "delete from verify_services where org_id = $1 and sid = $2";

  Future<Void> save(SqlClient tx, VerifyService s) {
    return tx.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {s.sid(), s.orgId(), s.accountSid(), s.friendlyName(),
      s.codeLength(), s.lookupEnabled(), s.skipSmsToLandlines(), s.psd2Enabled(), s.doNotShareWarningEnabled(),
      s.customCodeEnabled(), s.totpIssuer(), s.totpTimeStep(), s.totpCodeLength(), s.totpSkew(), s.sequence(),
      s.createdAt().atOffset(ZoneOffset.UTC), s.updatedAt().atOffset(ZoneOffset.UTC)})).mapEmpty();
  }

  Future<Optional<VerifyService>> find(SqlClient client, String orgId, String sid) {
    return one(client, FIND, orgId, sid);
  }

  /** The Service, locked until the transaction ends: changes to one Service run one after another. */
  Future<Optional<VerifyService>> lock(SqlClient tx, String orgId, String sid) {
    return one(tx, LOCK, orgId, sid);
  }

  /** Up to {@code limit} Services of the org from {@code offset} on, oldest first. */
  Future<List<VerifyService>> page(SqlClient client, String orgId, int limit, long offset) {
    return client.preparedQuery(PAGE).execute(Tuple.of(orgId, limit, offset))
      .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(VerifyServiceRepository::service).toList());
  }

  Future<Void> delete(SqlClient tx, String orgId, String sid) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(orgId, sid)).mapEmpty();
  }

  private static Future<Optional<VerifyService>> one(SqlClient client, String sql, String orgId, String sid) {
    return client.preparedQuery(sql).execute(Tuple.of(orgId, sid))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(service(rows.iterator().next())));
  }

  private static VerifyService service(Row r) {
    return new VerifyService(r.getString("sid"), r.getString("org_id"), r.getString("account_sid"),
      r.getString("friendly_name"), r.getInteger("code_length"), r.getBoolean("lookup_enabled"),
      r.getBoolean("skip_sms_to_landlines"), r.getBoolean("psd2_enabled"), r.getBoolean("do_not_share_warning_enabled"),
      r.getBoolean("custom_code_enabled"), r.getString("totp_issuer"), r.getInteger("totp_time_step"),
      r.getInteger("totp_code_length"), r.getInteger("totp_skew"), r.getLong("sequence"),
      r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
  }
}
