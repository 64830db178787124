package dev.mfaservice.support;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.authenticator.EdDSACOSEKey;
import com.webauthn4j.data.attestation.authenticator.RSACOSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

/**
 * A security key in software, for tests: makes real attestations ("none") and assertions with a P-256, Ed25519 or
 * RSA key, encoded with webauthn4j-core's own CBOR converter and data classes, as a browser hands them to a page
 * (PublicKeyCredential JSON, base64url). {@link Tweaks} breaks one thing at a time for the failure paths.
 */
public final class SoftAuthenticator {
  public enum Alg { ES256, EdDSA, RS256 }

  private static final ObjectConverter CONVERTER = new ObjectConverter();
  public static final UUID AAGUID_VALUE = UUID.fromString("6d44ba9b-f6ec-2e49-b930-0c8fe920cb73");
  private final Alg alg;
  private final KeyPair keys;
  private final byte[] credentialId;
  private long counter;

  /** What a test changes in the next ceremony; defaults are what an honest authenticator and browser do. */
  public static final class Tweaks {
    public String origin;
    public String type;
    public String rpId;
    public String challenge;
    public boolean userPresent = true;
    public boolean userVerified = false;
    public Long counter;
    public boolean badSignature;
    public boolean badClientData;

    public static Tweaks origin(String origin) {
      Tweaks t = new Tweaks();
      t.origin = origin;
      return t;
    }
  }

  public SoftAuthenticator(Alg alg) {
    this(alg, generate(alg), randomCredentialId());
  }

  private SoftAuthenticator(Alg alg, KeyPair keys, byte[] credentialId) {
    this.alg = alg;
    this.keys = keys;
    this.credentialId = credentialId;
  }

  /**
   * A key kept from before ({@link #privateKeyPkcs8()}, {@link #credentialIdBase64url()}), its counter at 0: it signs
   * assertions ({@code get}) only, having no public key for an attestation.
   */
  public static SoftAuthenticator restore(Alg alg, String credentialIdBase64url, byte[] privateKeyPkcs8) {
    try {
      KeyFactory factory = KeyFactory.getInstance(switch (alg) {
        case ES256 -> "EC";
        case EdDSA -> "Ed25519";
        case RS256 -> "RSA";
      });
      PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(privateKeyPkcs8));
      return new SoftAuthenticator(alg, new KeyPair(null, key), Base64.getUrlDecoder().decode(credentialIdBase64url));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key, PKCS#8-encoded, for {@link #restore}. */
  public byte[] privateKeyPkcs8() {
    return keys.getPrivate().getEncoded();
  }

  public String credentialIdBase64url() {
    return b64(credentialId);
  }

  public long counter() {
    return counter;
  }

  /** {@code navigator.credentials.create({publicKey})} for {@code options} ({"publicKey": {…}}). */
  public JsonObject create(JsonObject options, Tweaks t) {
    JsonObject pk = options.getJsonObject("publicKey");
    String rpId = t.rpId != null ? t.rpId : pk.getJsonObject("rp").getString("id");
    byte[] clientData = clientData(t.type != null ? t.type : "webauthn.create",
      t.challenge != null ? t.challenge : pk.getString("challenge"), t.origin);
    AttestedCredentialData attested = new AttestedCredentialData(new AAGUID(AAGUID_VALUE), credentialId, coseKey());
    byte flags = (byte) (flags(t) | AuthenticatorData.BIT_AT);
    AuthenticatorData<?> data = new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags,
      t.counter != null ? t.counter : counter, attested);
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] attestation = new AttestationObjectConverter(CONVERTER).convertToBytes(
      new AttestationObject((AuthenticatorData) data, new NoneAttestationStatement()));
    JsonObject response = new JsonObject().put("attestationObject", b64(attestation))
      .put("clientDataJSON", b64(clientData)).put("transports", new JsonArray().add("usb"));
    return credential(response);
  }

  public JsonObject create(JsonObject options, String origin) {
    return create(options, Tweaks.origin(origin));
  }

  /** {@code navigator.credentials.get({publicKey})}: signs with a counter one higher than last time. */
  public JsonObject get(JsonObject options, Tweaks t) {
    JsonObject pk = options.getJsonObject("publicKey");
    String rpId = t.rpId != null ? t.rpId : pk.getString("rpId");
    byte[] clientData = clientData(t.type != null ? t.type : "webauthn.get",
      t.challenge != null ? t.challenge : pk.getString("challenge"), t.origin);
    counter = t.counter != null ? t.counter : counter + 1;
    byte[] authData = new AuthenticatorDataConverter(CONVERTER).convert(new AuthenticatorData<>(
      sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags(t), counter));
    byte[] signature = sign(concat(authData, sha256(clientData)));
    if (t.badSignature) {
      signature[signature.length - 1] ^= 1;
    }
    if (t.badClientData) {
      clientData = new String(clientData, StandardCharsets.UTF_8).replace("}", ",\"extra\":1}").getBytes(StandardCharsets.UTF_8);
    }
    JsonObject response = new JsonObject().put("authenticatorData", b64(authData)).put("clientDataJSON", b64(clientData))
      .put("signature", b64(signature)).put("userHandle", "");
    return credential(response);
  }

  public JsonObject get(JsonObject options, String origin) {
    return get(options, Tweaks.origin(origin));
  }

  private JsonObject credential(JsonObject response) {
    return new JsonObject().put("id", b64(credentialId)).put("rawId", b64(credentialId)).put("type", "public-key")
      .put("response", response).put("clientExtensionResults", new JsonObject());
  }

  private static byte flags(Tweaks t) {
    return (byte) ((t.userPresent ? AuthenticatorData.BIT_UP : 0) | (t.userVerified ? AuthenticatorData.BIT_UV : 0));
  }

  private static byte[] clientData(String type, String challenge, String origin) {
    return new JsonObject().put("type", type).put("challenge", challenge).put("origin", origin).put("crossOrigin", false)
      .encode().getBytes(StandardCharsets.UTF_8);
  }

  private COSEKey coseKey() {
    return switch (alg) {
      case ES256 -> EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256);
      case EdDSA -> EdDSACOSEKey.create((EdECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.EdDSA);
      case RS256 -> RSACOSEKey.create((RSAPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.RS256);
    };
  }

  private byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance(switch (alg) {
        case ES256 -> "SHA256withECDSA";
        case EdDSA -> "Ed25519";
        case RS256 -> "SHA256withRSA";
      });
      s.initSign(keys.getPrivate());
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] randomCredentialId() {
    byte[] id = new byte[32];
    new SecureRandom().nextBytes(id);
    return id;
  }

  private static KeyPair generate(Alg alg) {
    try {
      return switch (alg) {
        case ES256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"));
          yield g.generateKeyPair();
        }
        case EdDSA -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        case RS256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(2048);
          yield g.generateKeyPair();
        }
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  public static String b64(byte[] value) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
