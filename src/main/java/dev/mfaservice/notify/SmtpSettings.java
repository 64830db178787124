package dev.mfaservice.notify;

import dev.mfaservice.settings.Settings;

/**
 * The SMTP server: {@code host} empty = none; {@code tls} none | starttls | tls; {@code caFile}: PEM
 * certificates to trust for the server instead of the JVM's trust store (empty = the JVM's).
 */
public record SmtpSettings(String host, int port, String username, String password, String tls, String from, String caFile) {
  public boolean configured() {
    return !host.isEmpty();
  }

  public static SmtpSettings from(Settings s) {
    return new SmtpSettings(s.string("smtp.host"), s.integer("smtp.port", 1, 65535), s.string("smtp.username"),
      s.string("smtp.password"), s.choice("smtp.tls", "none", "starttls", "tls"), s.string("smtp.from"),
      s.string("smtp.ca-file"));
  }
}
