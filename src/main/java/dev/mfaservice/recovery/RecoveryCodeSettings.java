package dev.mfaservice.recovery;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;

/** Recovery codes per set: {@code defaultCount} when a request names none, at most {@code maxCount}. */
public record RecoveryCodeSettings(int defaultCount, int maxCount) {

  public static RecoveryCodeSettings from(Settings s) {
    int max = s.integer("recovery-codes.max-count", 1, 100);
    int count = s.integer("recovery-codes.default-count", 1, 100);
    if (count > max) {
      throw new ConfigException("MFA_RECOVERY_CODES_DEFAULT_COUNT (" + count + ") must not exceed MFA_RECOVERY_CODES_MAX_COUNT ("
        + max + ")");
    }
    return new RecoveryCodeSettings(count, max);
  }
}
