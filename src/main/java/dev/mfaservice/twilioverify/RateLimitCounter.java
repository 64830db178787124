package dev.mfaservice.twilioverify;

import dev.mfaservice.crypto.CodeHasher;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code RateLimits} of a Create Verification ({@code {"<unique_name>":"<value>",…}}), counted in PostgreSQL in the
 * create's transaction, so every instance on the database shares the counts: each (limit, value) pair is one more hit
 * in every bucket of that limit, in one upsert statement. A bucket's window opens at a value's first hit and lasts its
 * interval; the (max + 1)-th hit within it is refused, 429 20429 with Retry-After. A refusal fails the transaction, so
 * a refused create counts nothing and leaves nothing behind; so does a create refused for any other reason after this.
 * Concurrent creates of one value wait on its count row's lock, so none is admitted over the max. Values are user data:
 * only a keyed hash is kept (the code hasher's key, bound to the Service and the limit's name).
 */
final class RateLimitCounter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitCounter.class);
  private static final String NAMES = """
    select count(*) from verify_rate_limits where service_sid = $1 and unique_name = any($2::text[])""";
  // One row per bucket the request's values fall in, upserted in (bucket, value) order so that concurrent creates
  // lock the rows they share in the same order; a row whose window has passed starts a new one.
  private static final String COUNT = """
    with hit as (
      select b.sid, b.max_requests, b.interval_seconds, l.unique_name, decode(v.hash, 'hex') as value_hash
      from unnest($2::text[], $3::text[]) as v(name, hash)
      join verify_rate_limits l on l.service_sid = $1 and l.unique_name = v.name
      join verify_rate_limit_buckets b on b.rate_limit_sid = l.sid
    ), counted as (
      insert into verify_rate_limit_counts as c (bucket_sid, value_hash, window_start, hits, expires_at)
      select sid, value_hash, $4::timestamptz, 1, $4::timestamptz + interval_seconds * interval '1 second' from hit
      order by sid, value_hash
      on conflict (bucket_sid, value_hash) do update set
        window_start = case when c.expires_at <= $4::timestamptz then excluded.window_start else c.window_start end,
        hits = case when c.expires_at <= $4::timestamptz then 1 else c.hits + 1 end,
        expires_at = case when c.expires_at <= $4::timestamptz then excluded.expires_at else c.expires_at end
      returning bucket_sid, hits, expires_at
    )
    select counted.hits, counted.expires_at, hit.max_requests, hit.unique_name
    from counted join hit on hit.sid = counted.bucket_sid""";
  // A few rows of windows that have passed, not waiting on rows another create holds (run after this create's own
  // upserts: it then waits on nothing a concurrent create could be holding while waiting on us).
  private static final String SWEEP = """
    delete from verify_rate_limit_counts where ctid = any(array(select ctid from verify_rate_limit_counts
      where expires_at <= $1 order by expires_at limit 32 for update skip locked))""";
  private final CodeHasher hasher;
  private final Clock clock;

  RateLimitCounter(CodeHasher hasher, Clock clock) {
    this.hasher = hasher;
    this.clock = clock;
  }

  /**
   * Counts {@code rateLimits} (the form's JSON string; null: nothing to count) of a create on {@code serviceSid};
   * fails with 60200 (RateLimits not a JSON object of scalar values, or naming a limit the Service lacks) or 20429.
   */
  Future<Void> admit(SqlConnection tx, String serviceSid, String rateLimits) {
    if (rateLimits == null) {
      return Future.succeededFuture();
    }
    Map<String, String> values = values(rateLimits);
    if (values.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] names = values.keySet().toArray(String[]::new);
    String[] hashes = values.entrySet().stream().map(e -> HexFormat.of().formatHex(hasher.hash(List.of(
      "verify-rate-limit", serviceSid, e.getKey()), e.getValue()).hash())).toArray(String[]::new);
    Instant now = clock.instant();
    return tx.preparedQuery(NAMES).execute(Tuple.of(serviceSid, (Object) names))
      .compose(known -> known.iterator().next().getLong(0) < names.length
        ? Future.failedFuture(TwilioError.invalidParameter("RateLimits"))
        : tx.preparedQuery(COUNT).execute(Tuple.of(serviceSid, names, hashes, now.atOffset(ZoneOffset.UTC))))
      .compose(rows -> {
        long wait = 0;
        String reached = null;
        for (Row row : rows) {
          if (row.getInteger("hits") > row.getInteger("max_requests")) {
            long seconds = Duration.between(now, row.getOffsetDateTime("expires_at").toInstant()).toSeconds() + 1;
            if (seconds > wait) {
              wait = seconds;
              reached = row.getString("unique_name");
            }
          }
        }
        if (reached != null) {
          LOG.info("verification refused: rate limit {} of service {} reached", reached, serviceSid);
          return Future.failedFuture(TwilioError.tooManyRequests(wait));
        }
        return tx.preparedQuery(SWEEP).execute(Tuple.of(now.atOffset(ZoneOffset.UTC))).mapEmpty();
      });
  }

  /** The JSON object's members as strings (numbers and booleans as written); anything else is 60200. */
  private static Map<String, String> values(String rateLimits) {
    try {
      Map<String, String> values = new TreeMap<>();
      new JsonObject(rateLimits).forEach(member -> {
        Object value = member.getValue();
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
          throw TwilioError.invalidParameter("RateLimits");
        }
        values.put(member.getKey(), String.valueOf(value));
      });
      return values;
    } catch (DecodeException | ClassCastException e) {
      throw TwilioError.invalidParameter("RateLimits");
    }
  }
}
