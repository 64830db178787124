package dev.mfaservice.twilioverify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** SQL of verify_entities, every query scoped by org and Service. */
final class EntityRepository {
  private static final String COLUMNS = "sid, org_id, service_sid, account_sid, identity, sequence, created_at, updated_at";
  private static final String INSERT = "insert into verify_entities (" + COLUMNS + """
    ) values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict (service_sid, identity) do nothing""";
  private static final String FIND = "select " + COLUMNS
    + " from verify_entities where org_id = $1 and service_sid = $2 and identity = $3";
  private static final String PAGE = "select " + COLUMNS
    + " from verify_entities where org_id = $1 and service_sid = $2 order by created_at, sid limit $3 offset $4";

  /** Inserts the entity unless its Identity exists in the Service; true if inserted (a racing insert waits, then not). */
  Future<Boolean> insert(SqlClient tx, VerifyEntity e) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(e.sid(), e.orgId(), e.serviceSid(), e.accountSid(), e.identity(),
      e.sequence(), e.createdAt().atOffset(ZoneOffset.UTC))).map(rows -> rows.rowCount() == 1);
  }

  Future<Optional<VerifyEntity>> find(SqlClient client, String orgId, String serviceSid, String identity, boolean lock) {
    return client.preparedQuery(FIND + (lock ? " for update" : "")).execute(Tuple.of(orgId, serviceSid, identity))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(entity(rows.iterator().next())));
  }

  Future<List<VerifyEntity>> page(SqlClient client, String orgId, String serviceSid, int limit, long offset) {
    return client.preparedQuery(PAGE).execute(Tuple.of(orgId, serviceSid, limit, offset))
      .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(EntityRepository::entity).toList());
  }

  /** Deletes the entity; its factors and challenges go with it (on delete cascade). */
  Future<Void> delete(SqlClient tx, String sid) {
    return tx.preparedQuery("delete from verify_entities where sid = $1").execute(Tuple.of(sid)).mapEmpty();
  }

  private static VerifyEntity entity(Row r) {
    return new VerifyEntity(r.getString("sid"), r.getString("org_id"), r.getString("service_sid"),
      r.getString("account_sid"), r.getString("identity"), r.getLong("sequence"),
      r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
  }
}
