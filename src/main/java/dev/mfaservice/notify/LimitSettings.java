package dev.mfaservice.notify;

import dev.mfaservice.settings.Settings;

/**
 * Send limits (SEC B1, B2), each per hour unless named otherwise: per address, per user, per number prefix (SMS: the
 * E.164 number without its last {@code smsPrefixHiddenDigits} digits), per country calling code (SMS), per caller (the
 * token's subject), per end-user IP (only where it is known).
 */
public record LimitSettings(int perAddressIntervalSeconds, int perAddressPerHour, int perUserPerHour, int smsPerPrefixPerHour,
                            int smsPrefixHiddenDigits, int smsPerCountryPerHour, int perCallerPerHour, int perIpPerHour) {

  public static LimitSettings from(Settings s) {
    return new LimitSettings(s.integer("limits.per-address-interval-seconds", 0, 3600),
      s.integer("limits.per-address-per-hour", 1, 10_000), s.integer("limits.per-user-per-hour", 1, 10_000),
      s.integer("limits.sms-per-prefix-per-hour", 1, 1_000_000), s.integer("limits.sms-prefix-hidden-digits", 1, 9),
      s.integer("limits.sms-per-country-per-hour", 1, 10_000_000), s.integer("limits.per-caller-per-hour", 1, 10_000_000),
      s.integer("limits.per-ip-per-hour", 1, 1_000_000));
  }
}
