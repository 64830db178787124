package dev.mfaservice.bench;

import dev.mfaservice.support.SoftAuthenticator;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/** A security key of the keys file (userId,credentialId,PKCS#8 key; base64url): the test kit's software key, restored. */
final class BenchKey {
  /** The relying party the keys are registered for: a dev instance's. */
  static final String RP_ID = "localhost";
  /** 2026-01-01T00:00:00Z. */
  private static final long COUNTER_EPOCH_MILLIS = 1_767_225_600_000L;
  final String userId;
  private final SoftAuthenticator authenticator;

  private BenchKey(String userId, SoftAuthenticator authenticator) {
    this.userId = userId;
    this.authenticator = authenticator;
  }

  static BenchKey parse(String line) {
    String[] f = line.split(",");
    return new BenchKey(f[0], SoftAuthenticator.restore(SoftAuthenticator.Alg.ES256, f[1],
      Base64.getUrlDecoder().decode(f[2])));
  }

  /** The keys file's line for a key just registered. */
  static String line(String userId, SoftAuthenticator key) {
    return userId + "," + key.credentialIdBase64url() + "," + SoftAuthenticator.b64(key.privateKeyPkcs8());
  }

  /** navigator.credentials.get() for {@code options} ({"publicKey": {…}}): user present, the next counter. */
  JsonObject assertion(JsonObject options, String origin) {
    SoftAuthenticator.Tweaks tweaks = SoftAuthenticator.Tweaks.origin(origin);
    tweaks.counter = nextCounter();
    return authenticator.get(options, tweaks);
  }

  /**
   * The signature counter a key signs with next: above its last, and above any an earlier client process used (each
   * run is a new process): tenths of a second since 2026-01-01 at the least, well within 32 bits for years. A key
   * is used again only after all the others, far less often than ten times a second.
   */
  private long nextCounter() {
    long floor = (System.currentTimeMillis() - COUNTER_EPOCH_MILLIS) / 100;
    return Math.max(authenticator.counter() + 1, floor);
  }
}
