package dev.mfaservice.webauthn;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.CborConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.mfaservice.crypto.FastEcdsa;
import dev.mfaservice.errors.ApiError;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The two WebAuthn ceremonies, verified by webauthn4j: a registration (attestation, any format, trusted as
 * "none": a second factor needs no maker's certificate) and a sign-in (assertion). Origin, RP id hash, client data
 * type, challenge and user presence are always checked, user verification when the challenge asked for it, and
 * the signature counter must grow when the key keeps one.
 */
final class WebAuthnCeremony {
  /** ES256, EdDSA, RS256: what browsers are asked for, in that order, and all that is accepted. */
  static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(COSEAlgorithmIdentifier.ES256,
    COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);
  private static final List<PublicKeyCredentialParameters> PARAMETERS = ALGORITHMS.stream()
    .map(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, alg)).toList();

  private final WebAuthnManager manager;
  private final AttestedCredentialDataConverter converter;
  /**
   * Reads stored COSE keys with webauthn4j's long-lived CBOR mapper, whose deserializers are built once: webauthn4j's
   * own reading of attested credential data builds a CBOR mapper for each call (~500 µs of CPU a sign-in in a profile).
   */
  private final CborConverter cbor;
  private final Set<Origin> origins;

  WebAuthnCeremony(List<String> origins) {
    FastEcdsa.install();
    ObjectConverter objects = new ObjectConverter();
    this.manager = WebAuthnManager.createNonStrictWebAuthnManager(objects);
    this.converter = new AttestedCredentialDataConverter(objects);
    this.cbor = objects.getCborConverter();
    this.origins = origins.stream().map(Origin::new).collect(Collectors.toUnmodifiableSet());
  }

  /** What a verified registration gives to store. */
  record Credential(byte[] credentialId, byte[] publicKey, UUID aaguid, long signCount, List<String> transports) {
  }

  Credential register(CredentialJson.Registration registration, WebAuthnChallenge challenge) {
    RegistrationData data = verified(() -> manager.verify(registration.request(), new RegistrationParameters(
      server(challenge), PARAMETERS, challenge.verificationRequired(), true)));
    AttestedCredentialData attested = data.getAttestationObject().getAuthenticatorData().getAttestedCredentialData();
    if (attested == null || !Arrays.equals(attested.getCredentialId(), registration.rawId())) {
      throw WebAuthnErrors.malformed();
    }
    byte[] whole = converter.convert(attested);
    int prefix = 16 + 2 + attested.getCredentialId().length;
    byte[] cose = Arrays.copyOfRange(whole, prefix, whole.length);
    return new Credential(attested.getCredentialId(), cose, attested.getAaguid().getValue(),
      data.getAttestationObject().getAuthenticatorData().getSignCount(),
      registration.request().getTransports().stream().sorted().toList());
  }

  /** The verified assertion's authenticator data (its counter and UV flag). */
  AuthenticationData authenticate(CredentialJson.Assertion assertion, WebAuthnChallenge challenge, WebAuthnKey key) {
    CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null,
      key.signCount(), attested(key), null, null, null, null);
    return verified(() -> manager.verify(assertion.request(), new AuthenticationParameters(server(challenge), record,
      List.of(key.credentialId()), challenge.verificationRequired(), true)));
  }

  /** The stored key as webauthn4j reads it: AAGUID, credential id, COSE key. */
  private AttestedCredentialData attested(WebAuthnKey key) {
    UUID aaguid = key.aaguid() == null ? new UUID(0, 0) : key.aaguid();
    return new AttestedCredentialData(new AAGUID(aaguid), key.credentialId(),
      cbor.readValue(key.publicKey(), COSEKey.class));
  }

  private ServerProperty server(WebAuthnChallenge challenge) {
    return ServerProperty.builder().origins(origins).rpId(challenge.rpId())
      .challenge(new DefaultChallenge(challenge.challenge())).build();
  }

  private interface Verification<T> {
    T run();
  }

  private static <T> T verified(Verification<T> verification) {
    try {
      return verification.run();
    } catch (VerificationException e) {
      throw refusal(e);
    } catch (RuntimeException e) {
      // CBOR/JSON the parsers could not read (Jackson 3's exceptions are unchecked): input, not a fault here.
      throw WebAuthnErrors.malformed();
    }
  }

  /** Which check failed, by the library's exception type; its message (which may quote client data) is dropped. */
  private static ApiError refusal(VerificationException e) {
    return switch (e.getClass().getSimpleName()) {
      case "BadOriginException", "CrossOriginException", "BadTopOriginException" -> WebAuthnErrors.origin();
      case "BadRpIdException" -> WebAuthnErrors.rpId();
      case "BadChallengeException", "MissingChallengeException" -> WebAuthnErrors.challenge();
      case "InconsistentClientDataTypeException" -> WebAuthnErrors.type();
      case "UserNotPresentException" -> WebAuthnErrors.userPresence();
      case "UserNotVerifiedException" -> WebAuthnErrors.userVerification();
      case "BadSignatureException" -> WebAuthnErrors.signature();
      case "NotAllowedAlgorithmException", "BadAlgorithmException" -> WebAuthnErrors.algorithm();
      case "MaliciousCounterValueException" -> WebAuthnErrors.counter();
      default -> WebAuthnErrors.invalid();
    };
  }
}
