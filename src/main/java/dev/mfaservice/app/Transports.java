package dev.mfaservice.app;

import dev.mfaservice.notify.ChannelTransport;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.notify.DevLogTransport;
import dev.mfaservice.notify.MessageTemplates;
import dev.mfaservice.notify.SmtpTransport;
import dev.mfaservice.notify.TwilioTransport;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which provider delivers each channel on this instance, from the configuration. A channel with none is absent. */
final class Transports {
  private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

  private Transports() {
  }

  static Map<String, ChannelTransport> create(Vertx vertx, Config config) {
    MessageTemplates templates = new MessageTemplates(config.notifications().productName());
    Map<String, ChannelTransport> transports = new LinkedHashMap<>();
    if (config.smtp().configured()) {
      if (config.smtp().tls().equals("none")) {
        LOG.warn("MFA_SMTP_TLS=none: mail to {} travels unencrypted; use it only with a local test server", config.smtp().host());
      }
      transports.put(Channels.EMAIL, new SmtpTransport(vertx, config.smtp(), templates));
    } else if (config.auth().devIssuer()) {
      LOG.warn("no MFA_SMTP_HOST: emails are written to the log (development instance), not sent");
      transports.put(Channels.EMAIL, new DevLogTransport(templates));
    } else {
      LOG.warn("no MFA_SMTP_HOST: calls that must send an email will be refused");
    }
    switch (config.sms().provider()) {
      case "twilio" -> transports.put(Channels.SMS, new TwilioTransport(vertx, config.sms().twilio(), templates));
      case "log" -> {
        LOG.warn("MFA_SMS_PROVIDER=log: SMS are written to the log (development instance), not sent");
        transports.put(Channels.SMS, new DevLogTransport(templates));
      }
      default -> LOG.warn("no MFA_SMS_PROVIDER: calls that must send an SMS will be refused");
    }
    return transports;
  }
}
