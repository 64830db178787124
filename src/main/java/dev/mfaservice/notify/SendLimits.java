package dev.mfaservice.notify;

import dev.mfaservice.app.Config;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Limits on sending codes (SEC B1), counted in PostgreSQL so every instance shares them: per
 * address one per interval and N per hour, per user N per hour. Refusals are 8/RESOURCE_EXHAUSTED
 * (429) with Retry-After. Concurrent senders to one address are serialized by an advisory lock.
 */
public final class SendLimits {
  private final OutboxRepository rows;
  private final Config.Limits limits;
  private final Clock clock;

  public SendLimits(OutboxRepository rows, Config.Limits limits, Clock clock) {
    this.rows = rows;
    this.limits = limits;
    this.clock = clock;
  }

  public Future<Void> check(SqlClient tx, String recipient, String userId) {
    Instant now = clock.instant();
    Instant hourAgo = now.minus(Duration.ofHours(1));
    Instant intervalAgo = now.minusSeconds(limits.perAddressIntervalSeconds());
    return rows.lockAddress(tx, recipient)
      .compose(v -> rows.recentToAddress(tx, recipient, intervalAgo, hourAgo))
      .compose(address -> {
        if (limits.perAddressIntervalSeconds() > 0 && address.shortWindow() > 0) {
          return Future.failedFuture(exhausted("a code was sent to this address moments ago",
            secondsUntil(address.newest().plusSeconds(limits.perAddressIntervalSeconds()), now)));
        }
        if (address.hour() >= limits.perAddressPerHour()) {
          return Future.failedFuture(exhausted("too many codes were sent to this address in the last hour",
            secondsUntil(address.oldest().plus(Duration.ofHours(1)), now)));
        }
        return rows.recentForUser(tx, userId, hourAgo);
      })
      .compose(user -> user.hour() >= limits.perUserPerHour()
        ? Future.failedFuture(exhausted("too many codes were sent for this user in the last hour",
          secondsUntil(user.oldest().plus(Duration.ofHours(1)), now)))
        : Future.succeededFuture());
  }

  private static long secondsUntil(Instant at, Instant now) {
    return Math.max(1, Duration.between(now, at).toSeconds() + 1);
  }

  private static ApiError exhausted(String why, long retryAfterSeconds) {
    return new ApiError(GrpcCode.RESOURCE_EXHAUSTED, 429, "NOTIFY-rateLimited",
      "Sending refused: " + why + "; retry in " + retryAfterSeconds + " s",
      List.of(Map.of("@type", "type.googleapis.com/google.rpc.RetryInfo", "retryDelay", retryAfterSeconds + "s")));
  }
}
