package dev.mfaservice.twilioverify;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Twilio's resource ids: a two-letter prefix and 32 lower-case hex digits (34 characters). */
final class Sids {
  static final String ACCOUNT = "AC";
  static final String SERVICE = "VA";
  static final String VERIFICATION = "VE";
  static final String ATTEMPT = "VL";
  static final String ENTITY = "YE";
  static final String FACTOR = "YF";
  static final String CHALLENGE = "YC";
  static final String RATE_LIMIT = "RK";
  static final String BUCKET = "BL";
  /** The prefix of a path's {@code {Sid}}, by the collection it follows ({@code …/Factors/{Sid}} → YF). */
  private static final java.util.Map<String, String> BY_COLLECTION = java.util.Map.of("Services", SERVICE,
    "Verifications", VERIFICATION, "Factors", FACTOR, "Challenges", CHALLENGE, "RateLimits", RATE_LIMIT,
    "Buckets", BUCKET);
  private static final Pattern SID = Pattern.compile("[A-Z]{2}[0-9a-fA-F]{32}");
  private final SecureRandom random;

  Sids(SecureRandom random) {
    this.random = random;
  }

  /** A new sid with {@code prefix}: 128 random bits, so sids cannot be guessed or enumerated. */
  String next(String prefix) {
    return prefix + hex(16);
  }

  /** {@code bytes} random bytes in hex (an auth token: 16 bytes, 32 hex digits as Twilio's). */
  String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A numeric code of {@code length} digits, uniformly drawn. */
  String digits(int length) {
    StringBuilder code = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      code.append((char) ('0' + random.nextInt(10)));
    }
    return code.toString();
  }

  /** The prefix of the sids of a collection ({@code Factors} → YF); null for one without sids ({@code Entities}). */
  static String ofCollection(String collection) {
    return BY_COLLECTION.get(collection);
  }


  /** A sid with {@code prefix} (null: any prefix, for a collection {@link #ofCollection} does not know). */
  static boolean isSid(String prefix, String value) {
    return value != null && (prefix == null || value.startsWith(prefix)) && SID.matcher(value).matches();
  }
}
