package dev.mfaservice.twilioverify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/**
 * SQL of verify_rate_limits and verify_rate_limit_buckets. Every query is scoped by org and Service: another org's
 * rate limit or bucket does not exist for a caller.
 */
final class RateLimitRepository {
  private static final String LIMIT = """
    l.sid, l.org_id, l.service_sid, l.account_sid, l.unique_name, l.description, l.sequence, l.created_at, l.updated_at""";
  private static final String SAVE_LIMIT = """
    insert into verify_rate_limits (sid, org_id, service_sid, account_sid, unique_name, description, sequence, created_at,
      updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    on conflict (sid) do update set description = $6, sequence = $7, updated_at = $9""";
  private static final String FIND_LIMIT = "select " + LIMIT
    + " from verify_rate_limits l where l.org_id = $1 and l.service_sid = $2 and l.sid = $3";
  private static final String PAGE_LIMITS = "select " + LIMIT + " from verify_rate_limits l"
    + " where l.org_id = $1 and l.service_sid = $2 order by l.created_at, l.sid limit $3 offset $4";
  private static final String LIMIT_NAMES = """
    select count(*) as limits, count(*) filter (where unique_name = $2) as named from verify_rate_limits
    where service_sid = $1""";
  private static final String DELETE_LIMIT = "delete from verify_rate_limits where sid = $1";
  private static final String BUCKET = LIMIT + """
    , b.sid as bucket_sid, b.max_requests, b.interval_seconds, b.sequence as bucket_sequence,
    b.created_at as bucket_created_at, b.updated_at as bucket_updated_at""";
  private static final String SAVE_BUCKET = """
    insert into verify_rate_limit_buckets (sid, rate_limit_sid, max_requests, interval_seconds, sequence, created_at,
      updated_at) values ($1, $2, $3, $4, $5, $6, $7)
    on conflict (sid) do update set max_requests = $3, interval_seconds = $4, sequence = $5, updated_at = $7""";
  /** A bucket's open windows end after its interval as it is now. */
  private static final String REWINDOW = """
    update verify_rate_limit_counts set expires_at = window_start + $2::int * interval '1 second' where bucket_sid = $1""";
  private static final String FIND_BUCKET = "select " + BUCKET + """
     from verify_rate_limit_buckets b join verify_rate_limits l on l.sid = b.rate_limit_sid
    where l.org_id = $1 and l.service_sid = $2 and l.sid = $3 and b.sid = $4""";
  private static final String PAGE_BUCKETS = "select " + BUCKET + """
     from verify_rate_limit_buckets b join verify_rate_limits l on l.sid = b.rate_limit_sid
    where l.org_id = $1 and l.service_sid = $2 and l.sid = $3 order by b.created_at, b.sid limit $4 offset $5""";
  private static final String BUCKET_INTERVALS = """
    select count(*) as buckets, count(*) filter (where interval_seconds = $2 and sid <> $3) as same_interval
    from verify_rate_limit_buckets where rate_limit_sid = $1""";
  private static final String DELETE_BUCKET = "delete from verify_rate_limit_buckets where sid = $1";

  /** How many limits a Service has, and whether one of them is named {@code uniqueName}. */
  record Taken(long count, boolean same) {
  }

  Future<Void> save(SqlClient tx, RateLimit l) {
    return tx.preparedQuery(SAVE_LIMIT).execute(Tuple.from(new Object[] {l.sid(), l.orgId(), l.serviceSid(),
      l.accountSid(), l.uniqueName(), l.description(), l.sequence(), utc(l.createdAt()), utc(l.updatedAt())})).mapEmpty();
  }

  Future<Optional<RateLimit>> find(SqlClient client, String orgId, String serviceSid, String sid, boolean lock) {
    return client.preparedQuery(FIND_LIMIT + (lock ? " for update" : "")).execute(Tuple.of(orgId, serviceSid, sid))
      .map(rows -> first(rows, RateLimitRepository::limit));
  }

  Future<List<RateLimit>> page(SqlClient client, String orgId, String serviceSid, int limit, long offset) {
    return client.preparedQuery(PAGE_LIMITS).execute(Tuple.of(orgId, serviceSid, limit, offset))
      .map(rows -> all(rows, RateLimitRepository::limit));
  }

  Future<Taken> names(SqlClient tx, String serviceSid, String uniqueName) {
    return tx.preparedQuery(LIMIT_NAMES).execute(Tuple.of(serviceSid, uniqueName))
      .map(rows -> taken(rows.iterator().next(), "limits", "named"));
  }

  Future<Void> delete(SqlClient tx, String sid) {
    return tx.preparedQuery(DELETE_LIMIT).execute(Tuple.of(sid)).mapEmpty();
  }

  Future<Void> save(SqlClient tx, RateLimitBucket b, boolean rewindow) {
    Future<?> saved = tx.preparedQuery(SAVE_BUCKET).execute(Tuple.of(b.sid(), b.limit().sid(), b.max(), b.interval(),
      b.sequence(), utc(b.createdAt()), utc(b.updatedAt())));
    return (rewindow ? saved.compose(v -> tx.preparedQuery(REWINDOW).execute(Tuple.of(b.sid(), b.interval()))) : saved)
      .mapEmpty();
  }

  Future<Optional<RateLimitBucket>> bucket(SqlClient client, String orgId, String serviceSid, String limitSid, String sid,
                                           boolean lock) {
    return client.preparedQuery(FIND_BUCKET + (lock ? " for update of b" : ""))
      .execute(Tuple.of(orgId, serviceSid, limitSid, sid)).map(rows -> first(rows, RateLimitRepository::bucket));
  }

  Future<List<RateLimitBucket>> buckets(SqlClient client, String orgId, String serviceSid, String limitSid, int limit,
                                        long offset) {
    return client.preparedQuery(PAGE_BUCKETS).execute(Tuple.of(orgId, serviceSid, limitSid, limit, offset))
      .map(rows -> all(rows, RateLimitRepository::bucket));
  }

  /** How many buckets a limit has, and whether another than {@code sid} counts over {@code interval}. */
  Future<Taken> intervals(SqlClient tx, String limitSid, int interval, String sid) {
    return tx.preparedQuery(BUCKET_INTERVALS).execute(Tuple.of(limitSid, interval, sid))
      .map(rows -> taken(rows.iterator().next(), "buckets", "same_interval"));
  }

  Future<Void> deleteBucket(SqlClient tx, String sid) {
    return tx.preparedQuery(DELETE_BUCKET).execute(Tuple.of(sid)).mapEmpty();
  }

  private static Taken taken(Row r, String count, String same) {
    return new Taken(r.getLong(count), r.getLong(same) > 0);
  }

  private static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> map) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(map.apply(rows.iterator().next()));
  }

  private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> map) {
    return StreamSupport.stream(rows.spliterator(), false).map(map).toList();
  }

  private static RateLimit limit(Row r) {
    return new RateLimit(r.getString("sid"), r.getString("org_id"), r.getString("service_sid"),
      r.getString("account_sid"), r.getString("unique_name"), r.getString("description"), r.getLong("sequence"),
      instant(r, "created_at"), instant(r, "updated_at"));
  }

  private static RateLimitBucket bucket(Row r) {
    return new RateLimitBucket(r.getString("bucket_sid"), limit(r), r.getInteger("max_requests"),
      r.getInteger("interval_seconds"), r.getLong("bucket_sequence"), instant(r, "bucket_created_at"),
      instant(r, "bucket_updated_at"));
  }

  private static Instant instant(Row r, String column) {
    return r.getOffsetDateTime(column).toInstant();
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
