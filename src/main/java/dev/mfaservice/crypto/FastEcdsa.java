package dev.mfaservice.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * SHA256withECDSA (ES256, what nearly every security key signs with) by BouncyCastle, ahead of the JDK's own. With
 * JDK 17's SunEC (pure Java) a sign-in's whole WebAuthn ceremony costs 900-1,500 µs of CPU here, with BouncyCastle's
 * P-256 arithmetic 220-340 (bench/WEBAUTHN-BC.txt; JDK 25's SunEC 450-560). webauthn4j takes its Signature by name
 * from the provider list, so the list is where the choice is made. This provider offers that one algorithm and nothing
 * else, so key factories, secure random, TLS key exchange and every other algorithm still come from the JDK; the whole
 * BouncyCastle provider is never registered.
 */
public final class FastEcdsa extends Provider {
  public static final String NAME = "MfaFastEcdsa";
  static final String ALGORITHM = "SHA256withECDSA";

  private FastEcdsa(Provider.Service bouncyCastle) {
    super(NAME, "1.0", "SHA256withECDSA by BouncyCastle's P-256 arithmetic");
    putService(new Service(this, "Signature", ALGORITHM, bouncyCastle.getClassName(),
      List.of("1.2.840.10045.4.3.2", "OID.1.2.840.10045.4.3.2"), null) {
      @Override
      public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
        return bouncyCastle.newInstance(parameter);
      }

      @Override
      public boolean supportsParameter(Object parameter) {
        return bouncyCastle.supportsParameter(parameter);
      }
    });
  }

  /** Puts the provider first in this JVM's list, once; later calls do nothing. */
  public static synchronized void install() {
    if (Security.getProvider(NAME) != null) {
      return;
    }
    Provider.Service service = new BouncyCastleProvider().getService("Signature", ALGORITHM);
    if (service == null) {
      throw new IllegalStateException("BouncyCastle offers no " + ALGORITHM);
    }
    Security.insertProviderAt(new FastEcdsa(service), 1);
  }
}
