package dev.mfaservice.webauthn;

import dev.mfaservice.errors.ApiError;

/**
 * The refusals of the security-key calls, each with a stable id. None echoes what the client sent: a credential is
 * named only by the part of the ceremony that failed.
 */
final class WebAuthnErrors {
  private WebAuthnErrors() {
  }

  static ApiError malformed() {
    return ApiError.invalidArgument("WEBAUTHN-malformed", "The public key credential is malformed");
  }

  static ApiError unknownDomain() {
    return ApiError.invalidArgument("WEBAUTHN-domain", "The domain is not a relying party of this service");
  }

  static ApiError origin() {
    return ApiError.invalidArgument("WEBAUTHN-origin", "The credential was made on an origin that is not allowed");
  }

  static ApiError rpId() {
    return ApiError.invalidArgument("WEBAUTHN-rpId", "The credential was made for another relying party");
  }

  static ApiError challenge() {
    return ApiError.invalidArgument("WEBAUTHN-challenge", "The credential answers another challenge");
  }

  static ApiError type() {
    return ApiError.invalidArgument("WEBAUTHN-type", "The client data is of the wrong ceremony type");
  }

  static ApiError userPresence() {
    return ApiError.invalidArgument("WEBAUTHN-presence", "The authenticator did not confirm the user's presence");
  }

  static ApiError userVerification() {
    return ApiError.invalidArgument("WEBAUTHN-verification", "The authenticator did not verify the user");
  }

  static ApiError signature() {
    return ApiError.invalidArgument("WEBAUTHN-signature", "The signature does not verify");
  }

  static ApiError algorithm() {
    return ApiError.invalidArgument("WEBAUTHN-algorithm", "The key's algorithm is not accepted (ES256, EdDSA, RS256)");
  }

  static ApiError invalid() {
    return ApiError.invalidArgument("WEBAUTHN-invalid", "The public key credential does not verify");
  }

  static ApiError counter() {
    return ApiError.failedPrecondition("WEBAUTHN-counter",
      "The key's signature counter did not increase: the key may have been cloned");
  }

  static ApiError expired() {
    return ApiError.failedPrecondition("WEBAUTHN-expired", "The challenge has expired: ask for a new one");
  }

  static ApiError noChallenge() {
    return ApiError.failedPrecondition("WEBAUTHN-noChallenge",
      "No security key challenge is open for this session: ask for one (challenges.webAuthN) first");
  }

  static ApiError unknownKey() {
    return ApiError.invalidArgument("WEBAUTHN-unknownKey", "The credential is not a ready security key of this user");
  }

  static ApiError noKeys() {
    return ApiError.failedPrecondition("SESSION-notEnrolled", "The user has no ready security key");
  }

  static ApiError credentialTaken() {
    return ApiError.alreadyExists("WEBAUTHN-taken", "This credential is registered already");
  }

  static ApiError alreadyVerified() {
    return ApiError.failedPrecondition("WEBAUTHN-verified", "This security key is verified already");
  }

  static ApiError nothingPending() {
    return ApiError.notFound("WEBAUTHN-noPending", "No security key registration is pending with this id");
  }

  static ApiError notFound() {
    return ApiError.notFound("WEBAUTHN-notFound", "The user has no security key with this id");
  }
}
