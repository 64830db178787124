package dev.mfaservice.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ES256 checked by the installed provider answers as the JDK's own does, and nothing else moved to it. */
class FastEcdsaTest {
  private static final byte[] DATA = "authenticatorData || sha256(clientDataJSON)".getBytes(StandardCharsets.UTF_8);
  private static KeyPair pair;

  @BeforeAll
  static void install() throws GeneralSecurityException {
    FastEcdsa.install();
    FastEcdsa.install();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    pair = generator.generateKeyPair();
  }

  @Test
  void installedOnceAndFirstForEs256Only() throws GeneralSecurityException {
    assertEquals(FastEcdsa.NAME, Security.getProviders()[0].getName());
    assertEquals(1, Arrays.stream(Security.getProviders()).filter(p -> p.getName().equals(FastEcdsa.NAME)).count());
    Signature es256 = Signature.getInstance("SHA256withECDSA");
    es256.initVerify(pair.getPublic());
    assertEquals(FastEcdsa.NAME, es256.getProvider().getName(), "webauthn4j's Signature.getInstance(name) gets it");
    Signature es384 = Signature.getInstance("SHA384withECDSA");
    es384.initVerify(pair.getPublic());
    assertNotEquals(FastEcdsa.NAME, es384.getProvider().getName());
    assertNotEquals(FastEcdsa.NAME, KeyFactory.getInstance("EC").getProvider().getName());
    assertNotEquals(FastEcdsa.NAME, new SecureRandom().getProvider().getName());
  }

  @Test
  void verifiesWhatTheJdkSignsAndTheJdkVerifiesWhatItSigns() throws GeneralSecurityException {
    byte[] byJdk = sign(Signature.getInstance("SHA256withECDSA", "SunEC"));
    assertTrue(verify(Signature.getInstance("SHA256withECDSA"), byJdk));
    byte[] byFast = sign(Signature.getInstance("SHA256withECDSA"));
    assertTrue(verify(Signature.getInstance("SHA256withECDSA", "SunEC"), byFast));
  }

  @Test
  void refusesWhatTheJdkRefuses() throws GeneralSecurityException {
    byte[] good = sign(Signature.getInstance("SHA256withECDSA", "SunEC"));
    byte[] flipped = good.clone();
    flipped[flipped.length - 1] ^= 1;
    assertFalse(verify(Signature.getInstance("SHA256withECDSA"), flipped));
    assertFalse(verify(Signature.getInstance("SHA256withECDSA", "SunEC"), flipped));
    // another key's signature
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    Signature other = Signature.getInstance("SHA256withECDSA", "SunEC");
    other.initSign(generator.generateKeyPair().getPrivate());
    other.update(DATA);
    assertFalse(verify(Signature.getInstance("SHA256withECDSA"), other.sign()));
    // not DER: refused with an exception, as the JDK refuses it (webauthn4j reads either as a bad signature)
    byte[] garbage = Arrays.copyOf(good, good.length + 1);
    assertThrows(SignatureException.class, () -> verify(Signature.getInstance("SHA256withECDSA"), garbage));
    assertThrows(SignatureException.class, () -> verify(Signature.getInstance("SHA256withECDSA", "SunEC"), garbage));
  }

  private static byte[] sign(Signature signature) throws GeneralSecurityException {
    signature.initSign(pair.getPrivate());
    signature.update(DATA);
    return signature.sign();
  }

  private static boolean verify(Signature signature, byte[] sig) throws GeneralSecurityException {
    signature.initVerify(pair.getPublic());
    signature.update(DATA);
    return signature.verify(sig);
  }
}
