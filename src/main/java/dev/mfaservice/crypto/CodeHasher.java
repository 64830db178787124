package dev.mfaservice.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Codes are stored only as HMAC-SHA256 over purpose | user | target | address | code, keyed by a
 * key derived from the master key (SEC S2): a plain hash of six digits falls to 10^6 guesses, a
 * keyed one needs the key, which is never in the database. The key id is stored with the hash so
 * old hashes still verify after rotation. Comparison is constant-time.
 */
public final class CodeHasher {
  private static final String PURPOSE = "verification-code-hash";
  private final Keyring keyring;
  /**
   * Per key id, a MAC keyed once: looking up HmacSHA256, deriving the key and keying the MAC for every code cost more
   * than the hash itself. Key ids are the few of MFA_MASTER_KEY.
   */
  private final Map<String, Mac> keyed = new ConcurrentHashMap<>();

  public CodeHasher(Keyring keyring) {
    this.keyring = keyring;
  }

  public record Hashed(byte[] hash, String keyId) {
  }

  public Hashed hash(List<String> binding, String code) {
    String keyId = keyring.activeKeyId();
    return new Hashed(mac(keyId, binding, code), keyId);
  }

  public boolean matches(Hashed stored, List<String> binding, String code) {
    return MessageDigest.isEqual(stored.hash(), mac(stored.keyId(), binding, code));
  }

  private byte[] mac(String keyId, List<String> binding, String code) {
    try {
      Mac mac = (Mac) keyed.computeIfAbsent(keyId, this::keyedMac).clone();
      for (String part : binding) {
        mac.update(part.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
      }
      return mac.doFinal(code.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A MAC keyed with the hashing key derived from {@code keyId}; never used itself, only cloned (a clone is cheap). */
  private Mac keyedMac(String keyId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keyring.derive(keyId, PURPOSE), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
