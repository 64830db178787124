package dev.mfaservice.totp;

import com.bastiaanjansen.otp.HMACAlgorithm;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The parameters one TOTP authenticator was enrolled with; kept per factor so a config change never breaks it. */
public record TotpParameters(String algorithm, int digits, int periodSeconds) {

  HMACAlgorithm hmac() {
    return HMACAlgorithm.valueOf(algorithm);
  }

  /** A MAC of this algorithm keyed with the secret's bytes. */
  Mac mac(byte[] secret) {
    String name = hmac().getHMACName();
    try {
      Mac mac = Mac.getInstance(name);
      mac.init(new SecretKeySpec(secret, name));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(name + " is not available", e);
    }
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
