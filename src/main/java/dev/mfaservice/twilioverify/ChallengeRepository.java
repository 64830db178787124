package dev.mfaservice.twilioverify;

import dev.mfaservice.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** SQL of verify_challenges, every query scoped by the Entity. */
final class ChallengeRepository {
  private static final String COLUMNS = """
    sid, entity_sid, factor_sid, status, failed_checks, details, hidden_details, metadata, expires_at, responded_at,
    sequence, created_at, updated_at""";
  /**
   * A step's event ($1..$8 as EventStore's) and the challenge's row, inserted or moved ($9..$21, {@link #row}), in one
   * statement (a data-modifying CTE): a step sends one statement, not two.
   */
  static final String APPEND_AND_SAVE = "with appended as (" + EventStore.APPEND + "), saved as (insert into verify_challenges ("
    + COLUMNS + """
    ) values ($9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
    on conflict (sid) do update set status = $12, failed_checks = $13, metadata = $16, responded_at = $18,
      sequence = $19, updated_at = $21)
    select position from appended""";
  private static final String FIND_BY_SID = "select " + COLUMNS + " from verify_challenges where sid = $1";
  private static final String FIND = "select " + COLUMNS + " from verify_challenges where entity_sid = $1 and sid = $2";
  /** The status as shown: a pending challenge past its expiration date ($2) is expired. */
  private static final String SHOWN = "case when status = 'pending' and expires_at <= $2 then 'expired' else status end";
  private static final String PAGE = "select " + COLUMNS + " from verify_challenges where entity_sid = $1"
    + " and ($3::text is null or factor_sid = $3) and ($4::text is null or " + SHOWN + " = $4)"
    + " order by created_at %1$s, sid %1$s limit $5 offset $6";

  /** The challenge's columns: APPEND_AND_SAVE's $9..$21, after the event's. */
  static Tuple row(VerifyChallenge c) {
    return Tuple.from(new Object[] {c.sid(), c.entitySid(), c.factorSid(), c.status(), c.failedChecks(), c.details(),
      c.hiddenDetails(), c.metadata(), utc(c.expiresAt()), utc(c.respondedAt()), c.sequence(), utc(c.createdAt()),
      utc(c.updatedAt())});
  }

  /** The challenge {@code sid}, of any Entity: sent with the Entity's lock, before its sid is known; the caller checks. */
  Future<Optional<VerifyChallenge>> find(SqlClient client, String sid) {
    return client.preparedQuery(FIND_BY_SID).execute(Tuple.of(sid))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(challenge(rows.iterator().next())));
  }

  Future<Optional<VerifyChallenge>> find(SqlClient client, String entitySid, String sid) {
    return client.preparedQuery(FIND).execute(Tuple.of(entitySid, sid))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(challenge(rows.iterator().next())));
  }

  /** A page of the entity's challenges, filtered by factor and shown status (null: any), oldest or newest first. */
  Future<List<VerifyChallenge>> page(SqlClient client, String entitySid, Instant now, String factorSid, String status,
                                     boolean newestFirst, int limit, long offset) {
    return client.preparedQuery(String.format(PAGE, newestFirst ? "desc" : "asc"))
      .execute(Tuple.of(entitySid, utc(now), factorSid, status, limit, offset))
      .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(ChallengeRepository::challenge).toList());
  }

  private static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  private static VerifyChallenge challenge(Row r) {
    OffsetDateTime responded = r.getOffsetDateTime("responded_at");
    return new VerifyChallenge(r.getString("sid"), r.getString("entity_sid"), r.getString("factor_sid"),
      r.getString("status"), r.getInteger("failed_checks"), json(r, "details"), json(r, "hidden_details"),
      json(r, "metadata"), r.getOffsetDateTime("expires_at").toInstant(), responded == null ? null : responded.toInstant(),
      r.getLong("sequence"), r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
  }

  private static JsonObject json(Row r, String column) {
    return r.getValue(column) instanceof JsonObject o ? o : null;
  }
}
