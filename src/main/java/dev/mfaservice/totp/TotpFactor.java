package dev.mfaservice.totp;

import java.time.Instant;

/** A user's TOTP authenticator as stored: the sealed secret, its parameters, and its state. */
public record TotpFactor(String userId, byte[] sealedSecret, TotpParameters settings, boolean verified,
                         long lastUsedStep, Instant createdAt) {

  /** The associated data a secret is sealed with: it only opens in this table, for this user (SEC S1). */
  static String sealingContext(String userId) {
    return "totp_factors:" + userId;
  }
}
