package dev.mfaservice.totp;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;

/**
 * TOTP settings: the issuer shown in authenticator apps, the parameters of new enrolments (HMAC
 * algorithm, digits, period), and how long an unverified registration waits for its first code.
 */
public record TotpSettings(String issuer, TotpParameters parameters, int pendingSeconds) {

  public static TotpSettings from(Settings s) {
    String issuer = s.string("totp.issuer");
    if (issuer.isEmpty() || issuer.contains(":") || issuer.length() > 100) {
      // SEC T8: the issuer is the label prefix before ':' in the otpauth URI.
      throw new ConfigException("MFA_TOTP_ISSUER must be 1-100 characters without ':', got '" + issuer + "'");
    }
    TotpParameters parameters = new TotpParameters(s.choice("totp.algorithm", "sha1", "sha256", "sha512").toUpperCase(),
      s.integer("totp.digits", 6, 8), s.integer("totp.period-seconds", 15, 120));
    return new TotpSettings(issuer, parameters, s.integer("totp.pending-seconds", 60, 86400));
  }
}
