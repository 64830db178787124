package dev.mfaservice.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.settings.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyringTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static String key(String id) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return id + ":" + Base64.getEncoder().encodeToString(raw);
  }

  @Test
  void sealsWithTheActiveKeyAndOpensWithTheSameContext() {
    Keyring ring = Keyring.parse(key("k1"), RANDOM);
    byte[] secret = "JBSWY3DPEHPK3PXP".getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = ring.seal(secret, "totp_factors:42");
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("JBSWY3DPEHPK3PXP"));
    assertArrayEquals(secret, ring.open(sealed, "totp_factors:42"));
    assertTrue(!java.util.Arrays.equals(sealed, ring.seal(secret, "totp_factors:42")), "a fresh nonce each time");
  }

  @Test
  void aValueMovedToAnotherRowOrAlteredDoesNotOpen() {
    Keyring ring = Keyring.parse(key("k1"), RANDOM);
    byte[] sealed = ring.seal(new byte[] {1, 2, 3}, "totp_factors:42");
    assertThrows(IllegalStateException.class, () -> ring.open(sealed, "totp_factors:43"));
    sealed[sealed.length - 1] ^= 1;
    assertThrows(IllegalStateException.class, () -> ring.open(sealed, "totp_factors:42"));
  }

  @Test
  void rotationKeepsOldValuesReadable() {
    String old = key("2025");
    byte[] sealedUnderOld = Keyring.parse(old, RANDOM).seal(new byte[] {7}, "ctx");
    Keyring rotated = Keyring.parse(key("2026") + "," + old, RANDOM);
    assertEquals("2026", rotated.activeKeyId());
    assertArrayEquals(new byte[] {7}, rotated.open(sealedUnderOld, "ctx"));
    IllegalStateException unknown = assertThrows(IllegalStateException.class,
      () -> Keyring.parse(key("2027"), RANDOM).open(sealedUnderOld, "ctx"));
    assertTrue(unknown.getMessage().contains("'2025'"));
  }

  @Test
  void badKeySettingsAreRefused() {
    assertThrows(ConfigException.class, () -> Keyring.parse("k1:" + Base64.getEncoder().encodeToString(new byte[16]), RANDOM));
    assertThrows(ConfigException.class, () -> Keyring.parse("no-colon", RANDOM));
    assertThrows(ConfigException.class, () -> Keyring.parse("k1:%%%", RANDOM));
  }
}
