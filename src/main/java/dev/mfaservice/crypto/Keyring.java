package dev.mfaservice.crypto;

import dev.mfaservice.settings.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under named master keys (SEC S1). The first key seals; every key opens what it
 * sealed, so keys rotate by putting a new one first. A sealed value carries its key id:
 * {@code 0x01 | len(id) | id | 96-bit random nonce | ciphertext+tag}. The associated data
 * binds a value to its place (table and user), so a ciphertext moved to another row fails.
 */
public final class Keyring {
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  /**
   * A cipher per thread, initialised afresh (key and nonce) for every value: Cipher.getInstance's provider lookup cost
   * as much as opening a TOTP secret. A Cipher is not thread-safe; the event loops and workers each keep their own.
   */
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is not available", e);
    }
  });

  private final String activeId;
  private final Map<String, SecretKey> keys;
  private final SecureRandom random;

  private Keyring(Map<String, SecretKey> keys, SecureRandom random) {
    this.keys = Map.copyOf(keys);
    this.activeId = keys.keySet().iterator().next();
    this.random = random;
  }

  /** From {@code id:base64key,id2:base64key}; the first one is active. */
  public static Keyring parse(String setting, SecureRandom random) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    for (String entry : setting.split(",")) {
      String[] parts = entry.trim().split(":", 2);
      if (parts.length != 2 || !parts[0].matches("[A-Za-z0-9._-]{1,64}")) {
        throw new ConfigException("MFA_MASTER_KEY must be key-id:base64(32 bytes)[,key-id:base64...]");
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(parts[1].trim());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("MFA_MASTER_KEY: key '" + parts[0] + "' is not base64");
      }
      if (raw.length != 32) {
        throw new ConfigException("MFA_MASTER_KEY: key '" + parts[0] + "' must be 32 bytes, has " + raw.length);
      }
      keys.put(parts[0], new SecretKeySpec(raw, "AES"));
    }
    return new Keyring(keys, random);
  }

  public String activeKeyId() {
    return activeId;
  }

  public byte[] seal(byte[] plaintext, String associatedData) {
    byte[] id = activeId.getBytes(StandardCharsets.US_ASCII);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, keys.get(activeId), nonce, associatedData, plaintext);
    byte[] out = new byte[2 + id.length + NONCE_BYTES + sealed.length];
    out[0] = VERSION;
    out[1] = (byte) id.length;
    System.arraycopy(id, 0, out, 2, id.length);
    System.arraycopy(nonce, 0, out, 2 + id.length, NONCE_BYTES);
    System.arraycopy(sealed, 0, out, 2 + id.length + NONCE_BYTES, sealed.length);
    return out;
  }

  /** Fails with IllegalStateException when the key is unknown or the value was altered or moved. */
  public byte[] open(byte[] sealed, String associatedData) {
    if (sealed.length < 2 || sealed[0] != VERSION || sealed.length < 2 + sealed[1] + NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("not a sealed value");
    }
    int idLength = sealed[1];
    String id = new String(sealed, 2, idLength, StandardCharsets.US_ASCII);
    SecretKey key = keys.get(id);
    if (key == null) {
      throw new IllegalStateException("sealed under key '" + id + "', which is not in MFA_MASTER_KEY");
    }
    byte[] nonce = Arrays.copyOfRange(sealed, 2 + idLength, 2 + idLength + NONCE_BYTES);
    byte[] body = Arrays.copyOfRange(sealed, 2 + idLength + NONCE_BYTES, sealed.length);
    return cipher(Cipher.DECRYPT_MODE, key, nonce, associatedData, body);
  }

  /** A key for one purpose (e.g. hashing codes), derived from the named key: HMAC-SHA256(key, purpose). */
  public byte[] derive(String keyId, String purpose) {
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new IllegalStateException("key '" + keyId + "' is not in MFA_MASTER_KEY");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] cipher(int mode, SecretKey key, byte[] nonce, String aad, byte[] input) {
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealed value cannot be opened: altered, moved or under another key");
    }
  }
}
