package dev.mfaservice.codes;

import dev.mfaservice.crypto.CodeFormat;
import dev.mfaservice.settings.Settings;

/** One-time codes sent by email or SMS: the kind that verifies a contact, the kind that signs in, and the tries per code. */
public record CodeSettings(CodeKind verify, CodeKind login, int maxAttempts) {

  /** One kind of one-time code: what it looks like and how long it lives. */
  public record CodeKind(CodeFormat format, int expirySeconds) {
  }

  public static CodeSettings from(Settings s) {
    // SEC O2: login codes live at most 10 minutes.
    return new CodeSettings(kind(s, "codes.verify", 86_400), kind(s, "codes.login", 600), s.integer("codes.max-attempts", 1, 10));
  }

  private static CodeKind kind(Settings s, String prefix, int maxExpiry) {
    return new CodeKind(CodeFormat.from(s, prefix), s.integer(prefix + ".expiry-seconds", 1, maxExpiry));
  }
}
