package dev.mfaservice.settings;

import java.util.Collection;

/**
 * "did you mean …?" for a mistyped setting: the known name at the smallest edit distance if it is
 * close, else one whose name the unknown one ends with (an old prefix, e.g. MFA_CRYPTO_MASTER_KEY).
 */
final class SpellingHint {
  private SpellingHint() {
  }

  /** {@code " (did you mean X?)"}, or "" when no known name is within a few edits. */
  static String closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Math.max(3, name.length() / 4) + 1;
    for (String candidate : known) {
      int d = distance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best == null) {
      best = known.stream().filter(k -> name.endsWith(k.substring(k.indexOf('_') + 1))).findFirst().orElse(null);
    }
    return best == null ? "" : " (did you mean " + best + "?)";
  }

  /** Levenshtein distance, one row at a time. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] current = new int[b.length() + 1];
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      previous = current;
    }
    return previous[b.length()];
  }
}
