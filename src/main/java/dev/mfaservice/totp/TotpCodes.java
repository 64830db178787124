package dev.mfaservice.totp;

import com.bastiaanjansen.otp.HOTPGenerator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import org.apache.commons.codec.binary.Base32;

/**
 * RFC 6238 codes: new secrets, the code of a time step (computed by otp-java) and the check of
 * a submitted code (the same computation with the HMAC key set once for the window, {@link #hotp}).
 * The check tries every step of the ±1 window without stopping early and
 * compares in constant time (SEC T4, T6); which step matched is returned so the caller can
 * refuse replays (SEC T5).
 */
public final class TotpCodes {
  private static final int WINDOW = 1;
  /** Thread-safe (commons-codec keeps the state of a call in a context of its own). */
  private static final Base32 BASE32 = new Base32();
  private final SecureRandom random;

  public TotpCodes(SecureRandom random) {
    this.random = random;
  }

  /** A new secret, base32 without padding (SEC T1, T2): 32 characters for SHA1's 20 bytes. */
  public String newSecret(TotpParameters settings) {
    byte[] raw = new byte[settings.secretBytes()];
    random.nextBytes(raw);
    return BASE32.encodeToString(raw).replace("=", "");
  }

  public static long step(Instant at, int periodSeconds) {
    return Math.floorDiv(at.getEpochSecond(), (long) periodSeconds);
  }

  /** The code of {@code step}, as an authenticator app shows it. */
  public static String codeAt(String base32Secret, TotpParameters settings, long step) {
    return new HOTPGenerator.Builder(base32Secret.getBytes(StandardCharsets.US_ASCII))
      .withPasswordLength(settings.digits()).withAlgorithm(settings.hmac()).build().generate(step);
  }

  /**
   * The newest step in the window around {@code now} whose code equals {@code submitted}, or
   * empty. {@code submitted} must already be exactly {@code digits} ASCII digits.
   */
  public static OptionalLong matchingStep(String base32Secret, TotpParameters settings, String submitted, Instant now) {
    return matchingStep(base32Secret, settings, submitted, now, WINDOW);
  }

  /** As above with a window of ±{@code skew} steps (Twilio Verify's factors: 0–2). */
  public static OptionalLong matchingStep(String base32Secret, TotpParameters settings, String submitted, Instant now,
                                          int skew) {
    byte[] given = submitted.getBytes(StandardCharsets.US_ASCII);
    Mac mac = settings.mac(decode(base32Secret));
    long current = step(now, settings.periodSeconds());
    long matched = Long.MIN_VALUE;
    for (long s = current - skew; s <= current + skew; s++) {
      boolean equal = MessageDigest.isEqual(hotp(mac, s, settings.digits()), given);
      matched = equal ? Math.max(matched, s) : matched;
    }
    return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
  }

  /**
   * The secret's bytes: the bits of its RFC 4648 base32 characters (A–Z, 2–7), the last byte's unused bits dropped,
   * as commons-codec decodes them (the tests hold it to it). commons-codec allocates an 8 KB buffer for every decode, a sixth of what a
   * sign-in allocates (JFR); a secret with any other character (lower case, padding) or of a length no bytes fill is still its to decode.
   */
  static byte[] decode(String base32) {
    int rest = base32.length() % 8;
    if (rest == 1 || rest == 3 || rest == 6) {  // no whole number of bytes: commons-codec's own reading
      return BASE32.decode(base32);
    }
    byte[] out = new byte[base32.length() * 5 / 8];
    int bits = 0;
    int buffer = 0;
    int at = 0;
    for (int i = 0; i < base32.length(); i++) {
      char c = base32.charAt(i);
      int value = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
      if (value < 0) {
        return BASE32.decode(base32);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[at++] = (byte) (buffer >> bits);
        buffer &= (1 << bits) - 1;
      }
    }
    return out;
  }

  /**
   * RFC 4226 section 5.3 with the key already in {@code mac}: the HMAC of the 8-byte counter, dynamic truncation, the
   * low {@code digits} decimal digits, zero-padded, as ASCII. otp-java ({@link #codeAt}) computes the same code but
   * decodes the secret, looks the HMAC up and formats the code with String.format again for every step: a sign-in's
   * three steps that way cost about a seventh of its service CPU (JFR); the tests hold this to otp-java's codes.
   */
  static byte[] hotp(Mac mac, long counter, int digits) {
    byte[] hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(counter).array());
    int offset = hash[hash.length - 1] & 0x0f;
    long code = ((hash[offset] & 0x7fL) << 24) | ((hash[offset + 1] & 0xffL) << 16) | ((hash[offset + 2] & 0xffL) << 8)
      | (hash[offset + 3] & 0xffL);
    byte[] ascii = new byte[digits];
    for (int i = digits - 1; i >= 0; i--) {
      ascii[i] = (byte) ('0' + code % 10);
      code /= 10;
    }
    return ascii;
  }

  /** SEC T7: trimmed, then exactly {@code digits} ASCII digits (Unicode digits such as '٣' are not). */
  public static String normalize(String code, int digits) {
    String trimmed = code == null ? "" : code.trim();
    if (trimmed.length() != digits) {
      return null;
    }
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return trimmed;
  }
}
