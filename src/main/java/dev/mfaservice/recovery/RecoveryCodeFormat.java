package dev.mfaservice.recovery;

import dev.mfaservice.crypto.CodeFormat;
import dev.mfaservice.crypto.CodeGenerator;
import java.util.Locale;

/**
 * What a recovery code looks like: ten symbols from a 32-symbol alphabet without look-alikes (no 0/O, no 1/I),
 * drawn one by one with SecureRandom (5 bits each, 50 bits a code), shown as two groups of five ({@code 7KQ4M-XR2PZ}).
 * Input is read case-insensitively with spaces and dashes ignored; anything else is not a code.
 */
public final class RecoveryCodeFormat {
  static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  static final int LENGTH = 10;
  static final int GROUP = 5;
  /** Entropy of one code: LENGTH × log2(32). */
  public static final int BITS = 50;
  private static final CodeFormat FORMAT = new CodeFormat(ALPHABET, LENGTH);
  private final CodeGenerator generator;

  public RecoveryCodeFormat(CodeGenerator generator) {
    this.generator = generator;
  }

  /** A new code as the user sees it: {@code XXXXX-XXXXX}. */
  public String next() {
    String raw = generator.next(FORMAT);
    return raw.substring(0, GROUP) + "-" + raw.substring(GROUP);
  }

  /** The code as it is hashed: upper case, without spaces and dashes; null when it cannot be a recovery code. */
  public static String normalize(String input) {
    if (input == null || input.length() > 64) {
      return null;
    }
    StringBuilder code = new StringBuilder(LENGTH);
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == '-' || c == ' ' || c == '\t') {
        continue;
      }
      // ASCII only: Unicode case mapping would turn e.g. U+017F (long s) into 'S'.
      char upper = c > 127 ? c : Character.toUpperCase(c);
      if (upper > 127 || ALPHABET.indexOf(upper) < 0) {
        return null;
      }
      code.append(upper);
    }
    return code.length() == LENGTH ? code.toString().toUpperCase(Locale.ROOT) : null;
  }
}
