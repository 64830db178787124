package dev.mfaservice.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * SQL of the send limits: in one statement, what went out in the last hour under each key of a send. The narrow keys
 * (address, user: limits of at most 10,000 an hour) are counted from the outbox rows (pending ones count too); the wide
 * ones (SMS number prefix, country calling code, caller, end-user IP: up to millions an hour) from {@code send_counts},
 * a row per key, minute and shard that each code's outbox row adds one to when its transaction commits (the trigger
 * of V22): at most 61 minutes × 4 shards of rows per key, however many sends. A minute counts while its newest send is
 * within the hour. Notices of factor changes (templates notice_*) are not codes: they neither count nor may be refused
 * (SEC O10).
 */
public final class SendCounts {
  // The OR lets PostgreSQL combine the per-key indexes (bitmap OR); a null key matches nothing.
  private static final String RECENT = """
    with narrow as (
      select count(*) filter (where recipient = $1 and created_at > $2) as address_recent,
             count(*) filter (where recipient = $1) as address, min(created_at) filter (where recipient = $1) as address_oldest,
             max(created_at) filter (where recipient = $1) as address_newest,
             count(*) filter (where user_id = $3) as usr, min(created_at) filter (where user_id = $3) as usr_oldest
      from outbox
      where created_at > $8 and template not like 'notice\\_%' and (recipient = $1 or user_id = $3)
    ), wide as (
      select coalesce(sum(hits) filter (where kind = 'prefix'), 0) as prefix,
             min(last_at) filter (where kind = 'prefix') as prefix_oldest,
             coalesce(sum(hits) filter (where kind = 'country'), 0) as country,
             min(last_at) filter (where kind = 'country') as country_oldest,
             coalesce(sum(hits) filter (where kind = 'caller'), 0) as caller,
             min(last_at) filter (where kind = 'caller') as caller_oldest,
             coalesce(sum(hits) filter (where kind = 'ip'), 0) as ip, min(last_at) filter (where kind = 'ip') as ip_oldest
      from send_counts
      where minute > $8::timestamptz - interval '1 minute' and last_at > $8
        and ((kind = 'prefix' and key = $4) or (kind = 'country' and key = $5) or (kind = 'caller' and key = $6)
          or (kind = 'ip' and key = $7))
    )
    select * from narrow, wide
    """;
  private static final String LOCK_ADDRESS = "select pg_advisory_xact_lock(hashtextextended($1, 7))";

  /** How many sends under one key in the window, and the oldest (and newest) of them. */
  public record Window(long count, Instant oldest, Instant newest) {
  }

  /** The counts of one send's keys over the last hour; {@code addressRecent} over the per-address interval. */
  public record Counts(long addressRecent, Window address, Window user, Window prefix, Window country, Window caller,
                       Window ip) {
  }

  /** Serializes the senders to one address for the rest of the transaction, so its limits cannot be raced. */
  Future<Void> lockAddress(SqlClient tx, String recipient) {
    return tx.preparedQuery(LOCK_ADDRESS).execute(Tuple.of(recipient.toLowerCase())).mapEmpty();
  }

  Future<Counts> recent(SqlClient tx, SendKeys keys, Instant shortSince, Instant hourSince) {
    Tuple args = Tuple.tuple().addString(keys.recipient()).addOffsetDateTime(utc(shortSince)).addString(keys.userId())
      .addString(keys.prefix()).addString(keys.countryCode() == null ? null : keys.countryCode().toString())
      .addString(keys.callerId()).addString(keys.endUserIp())
      .addOffsetDateTime(utc(hourSince));
    return tx.preparedQuery(RECENT).execute(args).map(rows -> {
      Row r = rows.iterator().next();
      return new Counts(r.getLong("address_recent"),
        new Window(r.getLong("address"), instant(r, "address_oldest"), instant(r, "address_newest")),
        window(r, "usr"), window(r, "prefix"), window(r, "country"), window(r, "caller"), window(r, "ip"));
    });
  }

  private static Window window(Row r, String key) {
    return new Window(r.getLong(key), instant(r, key + "_oldest"), null);
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime at = r.getOffsetDateTime(column);
    return at == null ? null : at.toInstant();
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
