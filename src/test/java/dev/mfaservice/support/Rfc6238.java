package dev.mfaservice.support;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent TOTP (RFC 6238 over RFC 4226), written from the RFCs for tests: plain HMAC,
 * dynamic truncation, its own base32 decoder and encoder. Shares no code with the service.
 */
public final class Rfc6238 {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private Rfc6238() {
  }

  /**
   * Now, in epoch seconds, after waiting out the last 5 s of a 30-s step if the clock is in them. A test that enrols
   * with the code of the step before now (so that its sign-ins can use now's) and checks it right after needs the
   * step not to move in between: the service takes a code of ±1 step around its own now, and the step before now
   * would then be two behind (a flaky 400 once in CI).
   */
  public static long nowClearOfStepEnd() {
    long intoStep = Math.floorMod(System.currentTimeMillis(), 30_000L);
    if (intoStep > 25_000) {
      try {
        Thread.sleep(30_000 - intoStep + 100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return System.currentTimeMillis() / 1000;
  }

  public static String code(String base32Secret, long epochSeconds) {
    return hotp(base32Decode(base32Secret), Math.floorDiv(epochSeconds, 30L), 6, "HmacSHA1");
  }

  public static String hotp(byte[] key, long counter, int digits, String macAlgorithm) {
    try {
      Mac mac = Mac.getInstance(macAlgorithm);
      mac.init(new SecretKeySpec(key, "RAW"));
      byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
      int offset = hash[hash.length - 1] & 0x0F;
      int binary = ((hash[offset] & 0x7F) << 24) | ((hash[offset + 1] & 0xFF) << 16)
        | ((hash[offset + 2] & 0xFF) << 8) | (hash[offset + 3] & 0xFF);
      int modulo = (int) Math.pow(10, digits);
      return String.format("%0" + digits + "d", binary % modulo);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] base32Decode(String text) {
    String s = text.replace("=", "").toUpperCase();
    ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      int value = ALPHABET.indexOf(c);
      if (value < 0) {
        throw new IllegalArgumentException("not base32: " + c);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out.put((byte) (buffer >> (bits - 8)));
        bits -= 8;
      }
    }
    return out.array();
  }

  /** RFC 4648 base32, upper case, without padding: how a secret is handed out. */
  public static String base32Encode(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }
}
