package dev.mfaservice.totp;

import com.bastiaanjansen.otp.HMACAlgorithm;

/** The parameters one TOTP authenticator was enrolled with; kept per factor so a config change never breaks it. */
public record TotpSettings(String algorithm, int digits, int periodSeconds) {

  HMACAlgorithm hmac() {
    return HMACAlgorithm.valueOf(algorithm);
  }

  /** SEC T1: the secret is as long as the HMAC output. */
  int secretBytes() {
    return switch (algorithm) {
      case "SHA256" -> 32;
      case "SHA512" -> 64;
      default -> 20;
    };
  }
}
