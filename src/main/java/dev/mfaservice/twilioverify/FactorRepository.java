package dev.mfaservice.twilioverify;

import dev.mfaservice.totp.TotpParameters;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** SQL of verify_factors, every query scoped by the Entity. */
final class FactorRepository {
  private static final String COLUMNS = """
    sid, entity_sid, friendly_name, factor_type, status, secret_sealed, algorithm, digits, time_step, skew, last_used_step,
    failed_checks, metadata, sequence, created_at, updated_at""";
  private static final String UPSERT = "insert into verify_factors (" + COLUMNS + """
    ) values ($1, $2, $3, 'totp', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
    on conflict (sid) do update set friendly_name = $3, status = $4, algorithm = $6, digits = $7, time_step = $8,
      skew = $9, failed_checks = $11, sequence = $13, updated_at = $15""";
  // The replay guard (SEC T5), as totp_factors': only a step newer than every accepted one moves the row.
  private static final String ACCEPT_STEP = "update verify_factors set last_used_step = $2 where sid = $1 and last_used_step < $2";
  // by sid alone: sent together with the Entity's lock, before its sid is known; the caller checks the factor's Entity
  private static final String FIND = "select " + COLUMNS + " from verify_factors where sid = $1";
  private static final String OF_CHALLENGE = "select " + COLUMNS
    + " from verify_factors where sid = (select factor_sid from verify_challenges where sid = $1)";
  private static final String PAGE = "select " + COLUMNS
    + " from verify_factors where entity_sid = $1 order by created_at, sid limit $2 offset $3";

  Future<Void> save(SqlClient tx, VerifyFactor f) {
    TotpParameters p = f.parameters();
    return tx.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {f.sid(), f.entitySid(), f.friendlyName(), f.status(),
      Buffer.buffer(f.secretSealed()), p.algorithm(), p.digits(), p.periodSeconds(), f.skew(), f.lastUsedStep(),
      f.failedChecks(), f.metadata(), f.sequence(), f.createdAt().atOffset(ZoneOffset.UTC),
      f.updatedAt().atOffset(ZoneOffset.UTC)})).mapEmpty();
  }

  /** True if {@code step} was newer than every step accepted for the factor, and is now the last one. */
  Future<Boolean> acceptStep(SqlClient tx, String sid, long step) {
    return tx.preparedQuery(ACCEPT_STEP).execute(Tuple.of(sid, step)).map(rows -> rows.rowCount() == 1);
  }

  /** The factor {@code sid} if it is {@code entitySid}'s. */
  Future<Optional<VerifyFactor>> find(SqlClient client, String entitySid, String sid) {
    return find(client, sid).map(found -> ofEntity(found, entitySid));
  }

  /** A factor read by its sid alone, kept only if it is {@code entitySid}'s: another Entity's is not found. */
  static Optional<VerifyFactor> ofEntity(Optional<VerifyFactor> found, String entitySid) {
    return found.filter(f -> f.entitySid().equals(entitySid));
  }

  /** The factor {@code sid}, of any Entity: the caller checks it is the Entity's it locked. */
  Future<Optional<VerifyFactor>> find(SqlClient client, String sid) {
    return one(client, FIND, sid);
  }

  /** The factor of the challenge {@code challengeSid}, of any Entity: the caller checks as for {@link #find}. */
  Future<Optional<VerifyFactor>> ofChallenge(SqlClient client, String challengeSid) {
    return one(client, OF_CHALLENGE, challengeSid);
  }

  private static Future<Optional<VerifyFactor>> one(SqlClient client, String query, String sid) {
    return client.preparedQuery(query).execute(Tuple.of(sid))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(factor(rows.iterator().next())));
  }

  Future<List<VerifyFactor>> page(SqlClient client, String entitySid, int limit, long offset) {
    return client.preparedQuery(PAGE).execute(Tuple.of(entitySid, limit, offset))
      .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(FactorRepository::factor).toList());
  }

  /** Deletes the factor; its challenges go with it (on delete cascade). */
  Future<Void> delete(SqlClient tx, String sid) {
    return tx.preparedQuery("delete from verify_factors where sid = $1").execute(Tuple.of(sid)).mapEmpty();
  }

  private static VerifyFactor factor(Row r) {
    Object metadata = r.getValue("metadata");
    return new VerifyFactor(r.getString("sid"), r.getString("entity_sid"), r.getString("friendly_name"),
      r.getString("status"), r.getBuffer("secret_sealed").getBytes(),
      new TotpParameters(r.getString("algorithm"), r.getInteger("digits"), r.getInteger("time_step")),
      r.getInteger("skew"), r.getLong("last_used_step"), r.getInteger("failed_checks"),
      metadata instanceof JsonObject o ? o : null, r.getLong("sequence"),
      r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
  }
}
