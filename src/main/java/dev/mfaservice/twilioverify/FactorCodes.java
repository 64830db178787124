package dev.mfaservice.twilioverify;

import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.totp.TotpCodes;
import dev.mfaservice.totp.TotpParameters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The TOTP of Verify factors, on the totp package's code (RFC 6238, constant-time compare, SEC T4–T7): new secrets,
 * sealing them (SEC S1), and the time step of a right code not used before (SEC T5: the replay guard is the factor's
 * {@code last_used_step}, moved by {@link FactorRepository#acceptStep} under the Entity's lock).
 */
final class FactorCodes {
  private final TotpCodes codes;
  private final Keyring keyring;

  FactorCodes(TotpCodes codes, Keyring keyring) {
    this.codes = codes;
    this.keyring = keyring;
  }

  String newSecret(TotpParameters parameters) {
    return codes.newSecret(parameters);
  }

  byte[] seal(String secret, String factorSid) {
    return keyring.seal(secret.getBytes(StandardCharsets.US_ASCII), VerifyFactor.sealingContext(factorSid));
  }

  /** {@code code} trimmed, if it is the factor's number of ASCII digits; else 60306 (not counted as a wrong code). */
  static String wellFormed(VerifyFactor factor, String code) {
    String normalized = TotpCodes.normalize(code, factor.parameters().digits());
    if (normalized == null) {
      throw TwilioError.invalidRequest("AuthPayload");
    }
    return normalized;
  }

  /** The step of {@code code} within the factor's skew around {@code now}, if newer than its last accepted one. */
  OptionalLong step(VerifyFactor factor, String code, Instant now) {
    String secret = new String(keyring.open(factor.secretSealed(), VerifyFactor.sealingContext(factor.sid())),
      StandardCharsets.US_ASCII);
    OptionalLong step = TotpCodes.matchingStep(secret, factor.parameters(), wellFormed(factor, code), now, factor.skew());
    return step.isPresent() && step.getAsLong() > factor.lastUsedStep() ? step : OptionalLong.empty();
  }
}
