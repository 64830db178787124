package dev.mfaservice.notify;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.Map;
import java.util.Set;

/**
 * Makes a code for a target and either returns it or queues it for sending (after the send
 * limits), inside the command's transaction. The caller dispatches the queued message after commit.
 */
public final class CodeDelivery {
  private final VerificationCodes codes;
  private final SendLimits limits;
  private final Outbox outbox;
  private final Set<String> channels;

  /** @param channels the channels that can deliver on this instance (email needs SMTP or the dev log) */
  public CodeDelivery(VerificationCodes codes, SendLimits limits, Outbox outbox, Set<String> channels) {
    this.codes = codes;
    this.limits = limits;
    this.outbox = outbox;
    this.channels = Set.copyOf(channels);
  }

  /** What came of a delivery: the code to return (returnCode), or the outbox row to dispatch (send). */
  public record Delivery(String returnedCode, String channel, String outboxId) {
    public static final Delivery NONE = new Delivery(null, null, null);
  }

  /** {@code caller}: who asks (and for which end-user IP, when known), counted by the send limits. */
  public Future<Delivery> deliver(SqlClient tx, Caller caller, Addressee user, CodeTarget target, String channel,
                                  String template, VerificationChoice choice) {
    if (choice.kind() == VerificationChoice.Kind.RETURN) {
      return codes.issue(tx, target).map(issued -> new Delivery(issued.code(), null, null));
    }
    if (!channels.contains(channel)) {
      return Future.failedFuture(ApiError.failedPrecondition("NOTIFY-noChannel",
        "This instance cannot send " + channel + " messages: no provider is configured"));
    }
    SendKeys keys = limits.keys(channel, target.address(), user, caller);
    return limits.check(tx, keys)
      .compose(v -> codes.issue(tx, target))
      .compose(issued -> {
        JsonObject payload = new JsonObject().put("code", issued.code());
        if (choice.link() != null) {
          payload.put("link", choice.link().render(Map.of("UserID", user.id(), "Code", issued.code(), "OrgID", user.orgId(),
            "LoginName", user.loginName(), "DisplayName", user.displayName(), "PreferredLanguage", user.preferredLanguage())));
        }
        NewMessage message = new NewMessage(channel, user.id(), user.orgId(), target.address(), template,
          user.preferredLanguage(), payload, issued.expiresAt());
        return outbox.enqueue(tx, message, keys).map(id -> new Delivery(null, channel, id));
      });
  }

  /** After commit. */
  public void dispatch(Delivery delivery) {
    if (delivery.outboxId() != null) {
      outbox.dispatch(delivery.channel(), delivery.outboxId());
    }
  }
}
