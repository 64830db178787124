package dev.mfaservice.twilioverify;

import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Service Rate Limits of a Verify Service of the caller's org: create, fetch, list, update (its description), delete
 * (its buckets and counts with it); each change an event ({@code verify.rate_limit.added/changed/removed}) in the
 * transaction of the row. Creates of one Service run one after another (its row locked), so its limits stay within
 * {@link #MAX_PER_SERVICE} and their names unique.
 */
final class RateLimitCommands {
  static final String AGGREGATE = "verify.rate_limit";
  /**
   * Twilio documents 60207 ("your service has reached the max number of rate limits") but not the number; this is
   * mfa-service's own.
   */
  static final int MAX_PER_SERVICE = 10;
  /** Twilio's 60209: alphanumerics and {@code - _ .}; the length bound is mfa-service's own (Twilio names none). */
  private static final Pattern UNIQUE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private final Transactions transactions;
  private final EventStore events;
  private final VerifyServiceRepository services;
  private final RateLimitRepository limits;
  private final Sids sids;

  RateLimitCommands(Transactions transactions, EventStore events, VerifyServiceRepository services,
                    RateLimitRepository limits, Sids sids) {
    this.transactions = transactions;
    this.events = events;
    this.services = services;
    this.limits = limits;
    this.sids = sids;
  }

  Future<RateLimit> create(TwilioCredential account, String serviceSid, String uniqueName, String description) {
    if (!UNIQUE_NAME.matcher(uniqueName).matches()) {
      return Future.failedFuture(new TwilioError(60209, 400, "UniqueName format is invalid"));
    }
    RateLimit limit = new RateLimit(sids.next(Sids.RATE_LIMIT), account.orgId(), serviceSid, account.accountSid(),
      uniqueName, description, 0, null, null);
    return transactions.run(tx -> services.lock(tx, account.orgId(), serviceSid)
      .map(found -> found.orElseThrow(() -> TwilioError.notFound("/v2/Services/" + serviceSid)))
      .compose(service -> limits.names(tx, serviceSid, uniqueName))
      .compose(taken -> {
        if (taken.same()) {
          return Future.failedFuture(new TwilioError(60208, 400, "Rate limit with that UniqueName already exists"));
        }
        if (taken.count() >= MAX_PER_SERVICE) {
          return Future.failedFuture(new TwilioError(60207, 400, "Max rate limits per service reached"));
        }
        return saved(tx, account, limit, "verify.rate_limit.added");
      }));
  }

  Future<RateLimit> fetch(TwilioCredential account, String serviceSid, String sid) {
    return limits.find(transactions.pool(), account.orgId(), serviceSid, sid, false)
      .map(found -> found.orElseThrow(() -> notFound(serviceSid, sid)));
  }

  Future<List<RateLimit>> page(TwilioCredential account, String serviceSid, int size, long offset) {
    return services.find(transactions.pool(), account.orgId(), serviceSid)
      .compose(found -> found.isEmpty() ? Future.failedFuture(TwilioError.notFound("/v2/Services/" + serviceSid))
        : limits.page(transactions.pool(), account.orgId(), serviceSid, size, offset));
  }

  Future<RateLimit> update(TwilioCredential account, String serviceSid, String sid, JsonObject input) {
    return transactions.run(tx -> locked(tx, account, serviceSid, sid).compose(current -> saved(tx, account,
      current.describedAs(input.getString("Description", current.description())), "verify.rate_limit.changed")));
  }

  /** Removes the limit, its buckets and their counts. */
  Future<Void> delete(TwilioCredential account, String serviceSid, String sid) {
    return transactions.run(tx -> locked(tx, account, serviceSid, sid)
      .compose(current -> append(tx, account, current, "verify.rate_limit.removed"))
      .compose(event -> limits.delete(tx, sid)));
  }

  /** The limit, locked until the transaction ends; another org's or Service's is Twilio's 20404. */
  Future<RateLimit> locked(SqlConnection tx, TwilioCredential account, String serviceSid, String sid) {
    return limits.find(tx, account.orgId(), serviceSid, sid, true)
      .map(found -> found.orElseThrow(() -> notFound(serviceSid, sid)));
  }

  private Future<RateLimit> saved(SqlConnection tx, TwilioCredential account, RateLimit limit, String type) {
    return append(tx, account, limit, type).compose(event -> {
      RateLimit at = limit.at(event.sequence(), event.createdAt());
      return limits.save(tx, at).map(at);
    });
  }

  private Future<Event> append(SqlConnection tx, TwilioCredential account, RateLimit limit, String type) {
    return events.append(tx, new NewEvent(AGGREGATE, limit.sid(), type, limit.payload(), account.accountSid(),
      account.orgId()), limit.sequence());
  }

  static TwilioError notFound(String serviceSid, String sid) {
    return TwilioError.notFound("/v2/Services/" + serviceSid + "/RateLimits/" + sid);
  }
}
