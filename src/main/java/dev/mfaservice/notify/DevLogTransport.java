package dev.mfaservice.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development only: writes the message, code included, to the log with a DEV marker instead of
 * sending it. Refused at start-up unless the dev issuer is on (a development instance).
 */
public final class DevLogTransport implements ChannelTransport {
  private static final Logger LOG = LoggerFactory.getLogger("mfa.dev.outbox");
  private final MessageTemplates templates;

  public DevLogTransport(MessageTemplates templates) {
    this.templates = templates;
  }

  @Override
  public Future<Void> send(OutboxMessage message, JsonObject payload) {
    String body = message.channel().equals(Channels.SMS) ? templates.renderSms(message.template(), message.language(), payload)
      : templates.render(message.template(), message.language(), payload).text();
    LOG.info("[DEV, NOT SENT] {} to {}: {}", message.channel(), message.recipient(), body.replace('\n', ' '));
    return Future.succeededFuture();
  }

  @Override
  public boolean permanent(Throwable failure) {
    return false;
  }
}
