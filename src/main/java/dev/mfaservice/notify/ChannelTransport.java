package dev.mfaservice.notify;

import io.vertx.core.Future;

/** Hands one rendered message to a provider (SMTP, Twilio, the dev log). */
public interface ChannelTransport {
  /** Completes when the provider accepted the message. */
  Future<Void> send(OutboxMessage message, String code, String link);

  /** A failure that retrying cannot fix (a 5xx SMTP reply, an invalid number): the message ends as failed. */
  boolean permanent(Throwable failure);
}
