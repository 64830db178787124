package dev.mfaservice.app;

import dev.mfaservice.auth.AuthSettings;
import dev.mfaservice.codes.CodeSettings;
import dev.mfaservice.http.HttpSettings;
import dev.mfaservice.ids.IdSettings;
import dev.mfaservice.notify.LimitSettings;
import dev.mfaservice.notify.LinkRules;
import dev.mfaservice.notify.NotifySettings;
import dev.mfaservice.notify.SmsSettings;
import dev.mfaservice.twilioverify.VerifySettings;
import dev.mfaservice.notify.SmtpSettings;
import dev.mfaservice.recovery.RecoveryCodeSettings;
import dev.mfaservice.retention.RetentionSettings;
import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;
import dev.mfaservice.totp.TotpSettings;
import dev.mfaservice.webauthn.WebAuthnSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration, immutable, read once at start-up and passed through constructors. Each
 * capability reads and checks its own settings record; this only composes them (and owns the
 * database's and the data dir's, which only the app uses).
 */
public record Config(HttpSettings http, Path dataDir, Database database, AuthSettings auth, IdSettings ids, String masterKey,
                     TotpSettings totp, CodeSettings codes, LimitSettings limits, NotifySettings notifications,
                     SmtpSettings smtp, SmsSettings sms, Set<String> linkHosts, RecoveryCodeSettings recoveryCodes,
                     WebAuthnSettings webauthn, VerifySettings twilioVerify, RetentionSettings retention) {

  /** {@code url} empty = embedded PostgreSQL in the data dir. */
  /** {@code startupWaitSeconds}: how long start-up waits for a server that refuses connections or is starting. */
  /** {@code transactionPooling}: {@code url} is a pooler in transaction mode (see {@link DatabaseAddress}). */
  public record Database(Optional<URI> url, int poolSize, int embeddedPort, int startupWaitSeconds,
                         boolean transactionPooling) {

    static Database from(Settings s) {
      Database db = new Database(s.uri("database.url", "postgresql", "postgres"),
        s.integer("database.pool-size", 1, 1000), s.integer("database.embedded-port", 0, 65535),
        s.integer("database.startup-wait-seconds", 0, 3600), s.flag("database.transaction-pooling"));
      if (db.transactionPooling() && db.url().isEmpty()) {
        throw new ConfigException("MFA_DATABASE_TRANSACTION_POOLING=true names a pooler in front of MFA_DATABASE_URL, "
          + "which is empty (the embedded PostgreSQL has no pooler)");
      }
      return db;
    }
  }

  public static Config fromEnvironment() {
    return load(System.getenv());
  }

  public static Config load(Map<String, String> env) {
    return load(new Settings(env));
  }

  static Config load(Settings s) {
    return ProductionChecks.check(read(s));
  }

  private static Config read(Settings s) {
    // read in this order, so that of several bad settings the same one is reported as always
    HttpSettings http = HttpSettings.from(s);
    Database database = Database.from(s);
    Path dataDir = Path.of(s.string("data.dir"));
    AuthSettings auth = AuthSettings.from(s);
    return new Config(http, dataDir, database, auth, IdSettings.from(s),
      s.string("master-key"), TotpSettings.from(s), CodeSettings.from(s), LimitSettings.from(s), NotifySettings.from(s),
      SmtpSettings.from(s), SmsSettings.from(s, auth.devIssuer()), LinkRules.hosts(s), RecoveryCodeSettings.from(s),
      WebAuthnSettings.from(s, http.port(), auth.devIssuer()), VerifySettings.from(s), RetentionSettings.from(s));
  }

  /** A URL may carry a password: never echo it. */
  static String redact(String url) {
    return Settings.redact(url);
  }
}
