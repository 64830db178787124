package dev.mfaservice.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Hands one rendered message to a provider (SMTP, Twilio, the dev log). */
public interface ChannelTransport {
  /** Completes when the provider accepted the message; {@code payload} is the opened outbox payload (a code, a link, a notice's facts). */
  Future<Void> send(OutboxMessage message, JsonObject payload);

  /** A failure that retrying cannot fix (a 5xx SMTP reply, an invalid number): the message ends as failed. */
  boolean permanent(Throwable failure);
}
