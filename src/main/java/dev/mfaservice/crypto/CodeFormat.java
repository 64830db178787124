package dev.mfaservice.crypto;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;

/** What a generated code looks like: its alphabet and length (SEC O1: at least 20 bits). */
public record CodeFormat(String alphabet, int length) {

  public CodeFormat {
    if (alphabet.chars().distinct().count() != alphabet.length() || alphabet.length() < 2) {
      throw new IllegalArgumentException("a code alphabet needs at least 2 distinct characters");
    }
  }

  /** The bits of entropy one code carries. */
  public double bits() {
    return length * Math.log(alphabet.length()) / Math.log(2);
  }

  /** From {@code <prefix>.alphabet} and {@code <prefix>.length}. */
  public static CodeFormat from(Settings s, String prefix) {
    String alphabet = s.string(prefix + ".alphabet");
    int length = s.integer(prefix + ".length", 4, 64);
    if (alphabet.chars().distinct().count() != alphabet.length() || alphabet.length() < 2) {
      throw new ConfigException(Settings.envName(prefix + ".alphabet") + " must list at least 2 distinct characters");
    }
    CodeFormat format = new CodeFormat(alphabet, length);
    if (format.bits() < 19.9) {
      throw new ConfigException(Settings.envName(prefix + ".length") + ": " + length + " characters of "
        + alphabet.length() + " give fewer than 20 bits");
    }
    return format;
  }
}
