package dev.mfaservice.twilioverify;

import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * Buckets of a Service Rate Limit: create, fetch, list, update ({@code Max}, {@code Interval}), delete; each change an
 * event ({@code verify.rate_limit.bucket.added/changed/removed}). Changes under one limit run one after another (its
 * row locked), so it keeps at most {@link #MAX_PER_LIMIT} buckets, each of its own interval.
 */
final class RateLimitBucketCommands {
  static final String AGGREGATE = "verify.rate_limit.bucket";
  /** Twilio documents 60210 ("your Rate limit has reached the max number of Buckets") but not the number: ours. */
  static final int MAX_PER_LIMIT = 5;
  private final Transactions transactions;
  private final EventStore events;
  private final RateLimitCommands limits;
  private final RateLimitRepository repository;
  private final Sids sids;

  RateLimitBucketCommands(Transactions transactions, EventStore events, RateLimitCommands limits,
                          RateLimitRepository repository, Sids sids) {
    this.transactions = transactions;
    this.events = events;
    this.limits = limits;
    this.repository = repository;
    this.sids = sids;
  }

  Future<RateLimitBucket> create(TwilioCredential account, String serviceSid, String limitSid, int max, int interval) {
    return transactions.run(tx -> limits.locked(tx, account, serviceSid, limitSid)
      .compose(limit -> repository.intervals(tx, limitSid, interval, "").compose(taken -> {
        if (taken.same()) {
          return Future.failedFuture(sameInterval());
        }
        if (taken.count() >= MAX_PER_LIMIT) {
          return Future.failedFuture(new TwilioError(60210, 400, "Max Buckets per Rate limit reached"));
        }
        RateLimitBucket bucket = new RateLimitBucket(sids.next(Sids.BUCKET), limit, max, interval, 0, null, null);
        return saved(tx, account, bucket, "verify.rate_limit.bucket.added", false);
      })));
  }

  Future<RateLimitBucket> fetch(TwilioCredential account, String serviceSid, String limitSid, String sid) {
    return repository.bucket(transactions.pool(), account.orgId(), serviceSid, limitSid, sid, false)
      .map(found -> found.orElseThrow(() -> notFound(serviceSid, limitSid, sid)));
  }

  Future<List<RateLimitBucket>> page(TwilioCredential account, String serviceSid, String limitSid, int size,
                                     long offset) {
    return limits.fetch(account, serviceSid, limitSid)
      .compose(limit -> repository.buckets(transactions.pool(), account.orgId(), serviceSid, limitSid, size, offset));
  }

  /** A new interval starts no new windows: the open ones end after the new interval from their start. */
  Future<RateLimitBucket> update(TwilioCredential account, String serviceSid, String limitSid, String sid,
                                 JsonObject input) {
    return transactions.run(tx -> limits.locked(tx, account, serviceSid, limitSid)
      .compose(limit -> locked(tx, account, serviceSid, limitSid, sid))
      .compose(current -> {
        RateLimitBucket changed = current.with(input);
        boolean rewindow = changed.interval() != current.interval();
        Future<Boolean> clash = rewindow ? repository.intervals(tx, limitSid, changed.interval(), sid)
          .map(RateLimitRepository.Taken::same) : Future.succeededFuture(false);
        return clash.compose(same -> same ? Future.failedFuture(sameInterval())
          : saved(tx, account, changed, "verify.rate_limit.bucket.changed", rewindow));
      }));
  }

  /** Removes the bucket and its counts. */
  Future<Void> delete(TwilioCredential account, String serviceSid, String limitSid, String sid) {
    return transactions.run(tx -> locked(tx, account, serviceSid, limitSid, sid)
      .compose(current -> append(tx, account, current, "verify.rate_limit.bucket.removed"))
      .compose(event -> repository.deleteBucket(tx, sid)));
  }

  private Future<RateLimitBucket> locked(SqlConnection tx, TwilioCredential account, String serviceSid, String limitSid,
                                         String sid) {
    return repository.bucket(tx, account.orgId(), serviceSid, limitSid, sid, true)
      .map(found -> found.orElseThrow(() -> notFound(serviceSid, limitSid, sid)));
  }

  private Future<RateLimitBucket> saved(SqlConnection tx, TwilioCredential account, RateLimitBucket bucket, String type,
                                        boolean rewindow) {
    return append(tx, account, bucket, type).compose(event -> {
      RateLimitBucket at = bucket.at(event.sequence(), event.createdAt());
      return repository.save(tx, at, rewindow).map(at);
    });
  }

  private Future<Event> append(SqlConnection tx, TwilioCredential account, RateLimitBucket bucket, String type) {
    return events.append(tx, new NewEvent(AGGREGATE, bucket.sid(), type, bucket.payload(), account.accountSid(),
      account.orgId()), bucket.sequence());
  }

  private static TwilioError sameInterval() {
    return new TwilioError(60211, 400, "Bucket with the given Interval already exists");
  }

  private static TwilioError notFound(String serviceSid, String limitSid, String sid) {
    return TwilioError.notFound("/v2/Services/" + serviceSid + "/RateLimits/" + limitSid + "/Buckets/" + sid);
  }
}
