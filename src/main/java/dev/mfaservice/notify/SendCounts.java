package dev.mfaservice.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * SQL of the send limits: in one statement, what went out in the last hour under each key of a send (address,
 * user, number prefix, country, caller, end-user IP), from the outbox rows (pending ones count too). Notices of
 * factor changes (templates notice_*) are not codes: they neither count nor may be refused (SEC O10).
 */
public final class SendCounts {
  // The OR lets PostgreSQL combine the per-key indexes (bitmap OR); a null key matches nothing.
  private static final String RECENT = """
    select count(*) filter (where recipient = $1 and created_at > $2) as address_recent,
           count(*) filter (where recipient = $1) as address, min(created_at) filter (where recipient = $1) as address_oldest,
           max(created_at) filter (where recipient = $1) as address_newest,
           count(*) filter (where user_id = $3) as usr, min(created_at) filter (where user_id = $3) as usr_oldest,
           count(*) filter (where recipient_prefix = $4) as prefix, min(created_at) filter (where recipient_prefix = $4) as prefix_oldest,
           count(*) filter (where country_code = $5) as country, min(created_at) filter (where country_code = $5) as country_oldest,
           count(*) filter (where caller_id = $6) as caller, min(created_at) filter (where caller_id = $6) as caller_oldest,
           count(*) filter (where end_user_ip = $7) as ip, min(created_at) filter (where end_user_ip = $7) as ip_oldest
    from outbox
    where created_at > $8 and template not like 'notice\\_%'
      and (recipient = $1 or user_id = $3 or recipient_prefix = $4 or country_code = $5 or caller_id = $6 or end_user_ip = $7)
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
      .addString(keys.prefix()).addInteger(keys.countryCode()).addString(keys.callerId()).addString(keys.endUserIp())
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
