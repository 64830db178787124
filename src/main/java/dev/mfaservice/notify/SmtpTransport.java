package dev.mfaservice.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Email over SMTP with vertx-mail-client (non-blocking). TLS as configured: STARTTLS required
 * (not the strippable opportunistic default) or implicit TLS, hostname verified, never trustAll
 * (SEC X4); {@code none} only for local test servers.
 */
public final class SmtpTransport implements ChannelTransport {
  private final MailClient client;
  private final MessageTemplates templates;
  private final String from;

  public SmtpTransport(Vertx vertx, SmtpSettings smtp, MessageTemplates templates) {
    MailConfig config = new MailConfig().setHostname(smtp.host()).setPort(smtp.port())
      .setStarttls(switch (smtp.tls()) {
        case "starttls" -> StartTLSOptions.REQUIRED;
        default -> StartTLSOptions.DISABLED;
      })
      .setSsl(smtp.tls().equals("tls"))
      .setTrustAll(false)
      .setKeepAlive(true);
    // No setHostnameVerificationAlgorithm("HTTPS") here: vertx-mail-client 5.0.7 turns an algorithm
    // given explicitly into "" (no check) and sets HTTPS itself only when none is given and TLS is on.
    if (!smtp.caFile().isEmpty()) {
      config.setTrustOptions(new PemTrustOptions().addCertPath(smtp.caFile()));
    }
    if (!smtp.username().isEmpty()) {
      config.setLogin(LoginOption.REQUIRED).setUsername(smtp.username()).setPassword(smtp.password());
    } else {
      config.setLogin(LoginOption.DISABLED);
    }
    this.client = MailClient.create(vertx, config);
    this.templates = templates;
    this.from = smtp.from();
  }

  @Override
  public Future<Void> send(OutboxMessage message, JsonObject payload) {
    MessageTemplates.Rendered mail = templates.render(message.template(), message.language(), payload);
    // The recipient is the stored address; header values lose CR/LF (SEC B4).
    MailMessage out = new MailMessage().setFrom(from).setTo(message.recipient().replaceAll("[\r\n]", ""))
      .setSubject(MailSubject.encode(mail.subject())).setText(mail.text()).setHtml(mail.html());
    return client.sendMail(out).mapEmpty();
  }

  @Override
  public boolean permanent(Throwable failure) {
    return failure instanceof SMTPException smtp && smtp.isPermanent();
  }
}
