package dev.mfaservice.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.crypto.CodeGenerator;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The code format: what a new code looks like, its entropy, and how typed input is read. */
class RecoveryCodeFormatTest {

  @Test
  void codesAreTwoGroupsOfFiveFromThirtyTwoSymbolsWithoutLookAlikes() {
    assertEquals(32, RecoveryCodeFormat.ALPHABET.chars().distinct().count());
    for (char lookAlike : "01IO".toCharArray()) {
      assertEquals(-1, RecoveryCodeFormat.ALPHABET.indexOf(lookAlike), "no " + lookAlike);
    }
    assertEquals(RecoveryCodeFormat.BITS, (int) Math.round(RecoveryCodeFormat.LENGTH * Math.log(32) / Math.log(2)));
    assertTrue(RecoveryCodeFormat.BITS >= 50);
    RecoveryCodeFormat format = new RecoveryCodeFormat(new CodeGenerator(new SecureRandom()));
    Set<Character> seen = new HashSet<>();
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String code = format.next();
      assertTrue(code.matches("[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}"), code);
      code.chars().filter(c -> c != '-').forEach(c -> seen.add((char) c));
      codes.add(code);
    }
    assertEquals(32, seen.size(), "every symbol is drawn");
    assertEquals(2000, codes.size(), "no repeats in 2000 codes of 50 bits");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "7KQ4M-XR2PZ|7KQ4MXR2PZ", "7kq4m-xr2pz|7KQ4MXR2PZ", "7KQ4MXR2PZ|7KQ4MXR2PZ", "' 7kq4m xr2pz '|7KQ4MXR2PZ",
    "7-K-Q-4-M-X-R-2-P-Z|7KQ4MXR2PZ", "'7KQ4M\tXR2PZ'|7KQ4MXR2PZ"})
  void inputIsReadCaseInsensitivelyWithSpacesAndDashesIgnored(String typed, String normalized) {
    assertEquals(normalized, RecoveryCodeFormat.normalize(typed));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "7KQ4M-XR2P", "7KQ4M-XR2PZZ", "7KQ4M-XR2P0", "7KQ4M-XR2PI", "7KQ4M_XR2PZ", "7KQ4M.XR2PZ",
    "7KQ4M-XR2P٣", "7KQ4M-XR2Pẞ", "7KQ4M-XR2Pſ", "7KQ4M-XR2PZ\n"})
  void anythingElseIsNoCode(String typed) {
    assertNull(RecoveryCodeFormat.normalize(typed));
  }

  @Test
  void nullAndOverlongInputAreNoCode() {
    assertNull(RecoveryCodeFormat.normalize(null));
    assertNull(RecoveryCodeFormat.normalize("7KQ4MXR2PZ" + " ".repeat(60)));
  }
}
