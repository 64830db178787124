package dev.mfaservice.notify;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.org.SecondFactorType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Tells the user that a factor was added or removed, or that failed checks locked it (SEC O10,
 * NIST SP 800-63B-4 §4.1.2.1): an outbox row written in the change's transaction, so a notice is
 * never lost and never sent for a change that rolled back. It goes to the verified contact email,
 * else the verified contact phone (SMS), else nowhere (event {@code notification.skipped}). A
 * factor's command adds its notice with one call: {@code notices.added(tx, caller, user, kind)}.
 * Notices carry no code, secret or address, are not counted by {@link SendLimits} and never fail
 * the change they report.
 */
public final class FactorNotices {
  /** Outbox templates of notices start with this; {@link SendLimits} does not count them. */
  public static final String PREFIX = "notice_";
  static final String ADDED = PREFIX + "factor_added";
  static final String REMOVED = PREFIX + "factor_removed";
  static final String LOCKED = PREFIX + "locked";
  // Late is better than never for a security notice, but not days later.
  private static final Duration VALID = Duration.ofDays(1);

  private final Outbox outbox;
  private final Set<String> channels;
  private final boolean enabled;
  private final Clock clock;

  /**
   * @param channels the channels that can deliver on this instance
   * @param enabled  notify.factor-changes
   */
  public FactorNotices(Outbox outbox, Set<String> channels, boolean enabled, Clock clock) {
    this.outbox = outbox;
    this.channels = Set.copyOf(channels);
    this.enabled = enabled;
    this.clock = clock;
  }

  public static boolean isNotice(String template) {
    return template.startsWith(PREFIX);
  }

  public Future<Void> added(SqlClient tx, Caller caller, Addressee user, SecondFactorType kind) {
    return notice(tx, caller, user, ADDED, kind);
  }

  public Future<Void> removed(SqlClient tx, Caller caller, Addressee user, SecondFactorType kind) {
    return notice(tx, caller, user, REMOVED, kind);
  }

  public Future<Void> locked(SqlClient tx, Caller caller, Addressee user) {
    return notice(tx, caller, user, LOCKED, null);
  }

  private Future<Void> notice(SqlClient tx, Caller caller, Addressee user, String template, SecondFactorType kind) {
    if (!enabled) {
      return Future.succeededFuture();
    }
    Instant now = clock.instant();
    JsonObject payload = new JsonObject().put("at", now.toString());
    if (kind != null) {
      payload.put("factor", kind.noticeKey());
    }
    Recipient to = recipient(user);
    if (to == null) {
      return outbox.skipped(tx, user.id(), user.orgId(), template, "the user has no verified contact this instance can reach",
        caller.userId());
    }
    NewMessage message = new NewMessage(to.channel(), user.id(), user.orgId(), to.address(), template,
      user.preferredLanguage(), payload, now.plus(VALID));
    // stored like any message's keys; SendCounts leaves notices out of every limit
    SendKeys keys = new SendKeys(to.channel(), to.address(), user.id(), user.orgId(), caller.userId(), null, null, null);
    return outbox.enqueue(tx, message, keys).map(id -> {
      afterCommit(tx, to.channel(), id);
      return null;
    });
  }

  private record Recipient(String channel, String address) {
  }

  /**
   * The verified contact email, else the verified contact phone. An OTP email or SMS authenticator's
   * own address is never the recipient: whoever added the factor chose it.
   */
  private Recipient recipient(Addressee user) {
    if (user.verifiedEmail() != null && channels.contains(Channels.EMAIL)) {
      return new Recipient(Channels.EMAIL, user.verifiedEmail());
    }
    if (user.verifiedPhone() != null && channels.contains(Channels.SMS)) {
      return new Recipient(Channels.SMS, user.verifiedPhone());
    }
    return null;
  }

  /** Wakes the worker once the change committed; on rollback the row is gone and nothing is sent. */
  private void afterCommit(SqlClient tx, String channel, String id) {
    Transaction transaction = tx instanceof SqlConnection connection ? connection.transaction() : null;
    if (transaction == null) {
      return; // the sweeper finds the row
    }
    transaction.completion().onSuccess(v -> outbox.dispatch(channel, id));
  }
}
