package dev.mfaservice.notify;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Limits on sending codes (SEC B1, B2), counted in PostgreSQL so every instance shares them: per address one per
 * interval and N per hour, per user, per SMS number prefix and country calling code, per caller, and per end-user IP
 * where it is known. Refusals are 8/RESOURCE_EXHAUSTED (429) with Retry-After, recorded by {@link SendRefusals}.
 * Concurrent senders to one address are serialized by an advisory lock; the wider keys are not (a lock per country
 * would serialize all its traffic), so two concurrent sends may both pass a nearly full prefix, country, caller or IP.
 */
public final class SendLimits {
  /** One hourly limit: its name (in events and metrics), the count it reads, its maximum, and the refusal's words. */
  private record Hourly(String name, Function<SendCounts.Counts, SendCounts.Window> window, int max, String why) {
  }

  /** A reached limit: its name and the error the caller gets. */
  private record Refusal(String limit, ApiError error) {
  }

  private final SendCounts counts;
  private final SendRefusals refusals;
  private final LimitSettings limits;
  private final Clock clock;
  private final List<Hourly> hourly;

  public SendLimits(SendCounts counts, SendRefusals refusals, LimitSettings limits, Clock clock) {
    this.counts = counts;
    this.refusals = refusals;
    this.limits = limits;
    this.clock = clock;
    this.hourly = List.of(
      new Hourly("address", SendCounts.Counts::address, limits.perAddressPerHour(),
        "too many codes were sent to this address in the last hour"),
      new Hourly("user", SendCounts.Counts::user, limits.perUserPerHour(), "too many codes were sent for this user in the last hour"),
      new Hourly("sms-prefix", SendCounts.Counts::prefix, limits.smsPerPrefixPerHour(),
        "too many SMS were sent to numbers like this one in the last hour"),
      new Hourly("sms-country", SendCounts.Counts::country, limits.smsPerCountryPerHour(),
        "too many SMS were sent to this country in the last hour"),
      new Hourly("caller", SendCounts.Counts::caller, limits.perCallerPerHour(),
        "too many codes were sent for this caller in the last hour"),
      new Hourly("ip", SendCounts.Counts::ip, limits.perIpPerHour(),
        "too many codes were sent for this IP address in the last hour"));
  }

  /** The keys a send to {@code recipient} for {@code user} by {@code caller} is counted by. */
  public SendKeys keys(String channel, String recipient, Addressee user, Caller caller) {
    return SendKeys.of(channel, recipient, user.id(), user.orgId(), caller.userId(), caller.endUserIp(),
      limits.smsPrefixHiddenDigits());
  }

  /**
   * The keys of a send that no user of ours asked for (a Twilio Verify verification): {@code subjectId} stands in for
   * the user, {@code callerId} is whoever authenticated (a Verify credential); no end-user IP is known.
   */
  public SendKeys keys(String channel, String recipient, String subjectId, String orgId, String callerId) {
    return SendKeys.of(channel, recipient, subjectId, orgId, callerId, null, limits.smsPrefixHiddenDigits());
  }

  public Future<Void> check(SqlClient tx, SendKeys keys) {
    Instant now = clock.instant();
    // one round trip: the count goes out right behind the lock, and PostgreSQL runs it once the lock is held
    Future<Void> locked = counts.lockAddress(tx, keys.recipient());
    Future<SendCounts.Counts> counted = counts.recent(tx, keys, now.minusSeconds(limits.perAddressIntervalSeconds()),
      now.minus(Duration.ofHours(1)));
    return Future.all(locked, counted).map(both -> counted.result())
      .compose(found -> {
        Refusal refusal = refusal(found, now);
        if (refusal == null) {
          return Future.<Void>succeededFuture();
        }
        // Not awaited: this transaction holds a pool connection while the record waits for another; a flood of
        // refusals awaiting their records could hold every connection and wait on each other.
        refusals.record(refusal.limit(), keys);
        return Future.<Void>failedFuture(refusal.error());
      });
  }

  /** The first limit the counts reach, or null. */
  private Refusal refusal(SendCounts.Counts found, Instant now) {
    if (limits.perAddressIntervalSeconds() > 0 && found.addressRecent() > 0) {
      return exhausted("address-interval", "a code was sent to this address moments ago",
        secondsUntil(found.address().newest().plusSeconds(limits.perAddressIntervalSeconds()), now));
    }
    for (Hourly limit : hourly) {
      SendCounts.Window window = limit.window().apply(found);
      if (window.count() >= limit.max()) {
        return exhausted(limit.name(), limit.why(), secondsUntil(window.oldest().plus(Duration.ofHours(1)), now));
      }
    }
    return null;
  }

  private static long secondsUntil(Instant at, Instant now) {
    return Math.max(1, Duration.between(now, at).toSeconds() + 1);
  }

  private static Refusal exhausted(String limit, String why, long retryAfterSeconds) {
    return new Refusal(limit, new ApiError(GrpcCode.RESOURCE_EXHAUSTED, 429, "NOTIFY-rateLimited",
      "Sending refused: " + why + "; retry in " + retryAfterSeconds + " s",
      List.of(Map.of("@type", "type.googleapis.com/google.rpc.RetryInfo", "retryDelay", retryAfterSeconds + "s"))));
  }
}
