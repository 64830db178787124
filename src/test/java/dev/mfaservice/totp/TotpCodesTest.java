package dev.mfaservice.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Rfc6238;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our TOTP code path against the RFCs' own test vectors, and the rules for submitted codes. */
class TotpCodesTest {
  private static final String SHA1_SEED = "12345678901234567890";
  private static final String SHA256_SEED = "12345678901234567890123456789012";
  private static final String SHA512_SEED = "1234567890".repeat(6) + "1234";

  /** RFC 6238 Appendix B (T0 = 0, X = 30, 8 digits), ASCII seeds per algorithm. */
  @ParameterizedTest
  @CsvSource({
    "59, 94287082, SHA1", "59, 46119246, SHA256", "59, 90693936, SHA512",
    "1111111109, 07081804, SHA1", "1111111109, 68084774, SHA256", "1111111109, 25091201, SHA512",
    "1111111111, 14050471, SHA1", "1111111111, 67062674, SHA256", "1111111111, 99943326, SHA512",
    "1234567890, 89005924, SHA1", "1234567890, 91819424, SHA256", "1234567890, 93441116, SHA512",
    "2000000000, 69279037, SHA1", "2000000000, 90698825, SHA256", "2000000000, 38618901, SHA512",
    "20000000000, 65353130, SHA1", "20000000000, 77737706, SHA256", "20000000000, 47863826, SHA512"})
  void rfc6238AppendixB(long time, String expected, String algorithm) {
    TotpParameters settings = new TotpParameters(algorithm, 8, 30);
    String seed = switch (algorithm) {
      case "SHA256" -> SHA256_SEED;
      case "SHA512" -> SHA512_SEED;
      default -> SHA1_SEED;
    };
    String secret = new Base32().encodeToString(seed.getBytes(StandardCharsets.US_ASCII)).replace("=", "");
    long step = TotpCodes.step(Instant.ofEpochSecond(time), 30);
    assertEquals(expected, TotpCodes.codeAt(secret, settings, step));
    assertEquals(OptionalLong.of(step), TotpCodes.matchingStep(secret, settings, expected, Instant.ofEpochSecond(time)));
  }

  /** RFC 4226 Appendix D, counts 0-9; and the 6-digit code at 59 s is the last six digits of the 8-digit one. */
  @Test
  void rfc4226AppendixDAndSixDigits() {
    String secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
    TotpParameters six = new TotpParameters("SHA1", 6, 30);
    for (int count = 0; count < expected.length; count++) {
      assertEquals(expected[count], TotpCodes.codeAt(secret, six, count));
    }
    assertEquals("287082", TotpCodes.codeAt(secret, six, TotpCodes.step(Instant.ofEpochSecond(59), 30)));
  }

  @Test
  void theWindowIsOneStepEachWayAndTheNewestMatchWins() {
    TotpParameters six = new TotpParameters("SHA1", 6, 30);
    String secret = new TotpCodes(new SecureRandom()).newSecret(six);
    Instant now = Instant.parse("2026-11-23T10:00:10Z");
    long step = TotpCodes.step(now, 30);
    for (long offset = -3; offset <= 3; offset++) {
      String code = Rfc6238.code(secret, (step + offset) * 30);
      OptionalLong matched = TotpCodes.matchingStep(secret, six, code, now);
      if (Math.abs(offset) <= 1) {
        assertEquals(OptionalLong.of(step + offset), matched, "offset " + offset);
      } else {
        assertTrue(matched.isEmpty() || matched.getAsLong() != step + offset, "offset " + offset);
      }
    }
  }

  /** Twilio Verify's factors: a skew of 0–2 steps, 3–8 digits, 20–60 s steps (codes from the tests' own RFC 6238). */
  @ParameterizedTest
  @CsvSource({"0, 3, 20, HmacSHA512, SHA512", "1, 8, 60, HmacSHA256, SHA256", "2, 6, 30, HmacSHA1, SHA1"})
  void theWindowIsTheSkewGiven(int skew, int digits, int period, String mac, String algorithm) {
    TotpParameters settings = new TotpParameters(algorithm, digits, period);
    String secret = new TotpCodes(new SecureRandom()).newSecret(settings);
    Instant now = Instant.parse("2026-11-23T10:00:10Z");
    long step = TotpCodes.step(now, period);
    for (long offset = -3; offset <= 3; offset++) {
      String code = Rfc6238.hotp(Rfc6238.base32Decode(secret), step + offset, digits, mac);
      OptionalLong matched = TotpCodes.matchingStep(secret, settings, code, now, skew);
      if (Math.abs(offset) <= skew) {
        assertEquals(OptionalLong.of(step + offset), matched, "offset " + offset);
      } else {
        assertTrue(matched.isEmpty() || matched.getAsLong() != step + offset, "offset " + offset);
      }
    }
  }

  /**
   * The check computes its codes itself (the key set once for the window): for random secrets, algorithms, digit counts
   * and times it accepts exactly otp-java's code of each step in the window, and refuses a code one off from it.
   */
  @Test
  void theCheckAcceptsOtpJavasCodesAndNothingNextToThem() {
    SecureRandom random = new SecureRandom();
    TotpCodes codes = new TotpCodes(random);
    for (int i = 0; i < 600; i++) {
      TotpParameters settings = new TotpParameters(new String[] {"SHA1", "SHA256", "SHA512"}[i % 3], 6 + 2 * (i / 3 % 2), 30);
      String secret = codes.newSecret(settings);
      Instant now = Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L));
      long step = TotpCodes.step(now, 30) + random.nextInt(-1, 2);
      String code = TotpCodes.codeAt(secret, settings, step);
      assertEquals(settings.digits(), code.length());
      assertEquals(OptionalLong.of(step), TotpCodes.matchingStep(secret, settings, code, now), settings + " " + step);
      long next = (Long.parseLong(code) + 1) % (long) Math.pow(10, settings.digits());
      String beside = String.format("%0" + settings.digits() + "d", next);
      OptionalLong other = TotpCodes.matchingStep(secret, settings, beside, now);
      assertTrue(other.isEmpty() || other.getAsLong() != step || beside.equals(code), settings + " " + step);
    }
  }

  @Test
  void newSecretsAre20RandomBytesAs32Base32Characters() {
    TotpCodes codes = new TotpCodes(new SecureRandom());
    String a = codes.newSecret(new TotpParameters("SHA1", 6, 30));
    String b = codes.newSecret(new TotpParameters("SHA1", 6, 30));
    assertTrue(a.matches("[A-Z2-7]{32}"), a);
    assertTrue(!a.equals(b));
    assertEquals(20, Rfc6238.base32Decode(a).length);
    assertEquals(32, Rfc6238.base32Decode(codes.newSecret(new TotpParameters("SHA256", 6, 30))).length);
    assertEquals(64, Rfc6238.base32Decode(codes.newSecret(new TotpParameters("SHA512", 6, 30))).length);
  }

  @ParameterizedTest
  @CsvSource(value = {"123456|123456", " 123456 |123456", "12345|", "1234567|", "12a456|", "١٢٣٤٥٦|", "12 456|", "|"},
    delimiter = '|')
  void submittedCodesAreTrimmedThenExactlyTheDigits(String input, String expected) {
    String normalized = TotpCodes.normalize(input, 6);
    if (expected == null) {
      assertNull(normalized, "refused: " + input);
    } else {
      assertEquals(expected, normalized);
    }
  }

  /** The secret's own decoder gives what commons-codec gives: every length, with padding, lower case, other characters. */
  @Test
  void decodesAsCommonsCodec() {
    SecureRandom random = new SecureRandom();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (int length = 0; length <= 104; length++) {
      for (int n = 0; n < 20; n++) {
        StringBuilder secret = new StringBuilder();
        for (int i = 0; i < length; i++) {
          secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        for (String s : new String[] {secret.toString(), secret + "====", secret.toString().toLowerCase(), secret + "1", "8" + secret}) {
          assertEquals(java.util.HexFormat.of().formatHex(new Base32().decode(s)), java.util.HexFormat.of().formatHex(TotpCodes.decode(s)), s);
        }
      }
    }
  }
}
