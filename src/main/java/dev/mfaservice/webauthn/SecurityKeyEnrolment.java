package dev.mfaservice.webauthn;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The write model of a user's security key: the key a command named (or the user's newest pending one) as read, and
 * the rules that decide on registering, verifying, using and removing keys, pure (no I/O). webauthn4j's verification
 * of a ceremony stays in {@link WebAuthnCeremony} (its refusals are its own); what its result makes of a key is here.
 */
record SecurityKeyEnrolment(Optional<WebAuthnKey> key) {

  /**
   * RegisterU2F (and a sign-in's challenge): the relying party the request names, one of the configured ids (in any
   * case); none named is the first of them. Accepted: the id as configured.
   */
  static Decision<String> decideRelyingParty(String domain, List<String> rpIds) {
    if (domain == null || domain.isEmpty()) {
      return rpIds.isEmpty() ? Decision.refuse(WebAuthnErrors.unknownDomain()) : Decision.accept(rpIds.get(0));
    }
    return rpIds.stream().filter(id -> id.equalsIgnoreCase(domain)).findFirst().<Decision<String>>map(Decision::accept)
      .orElseGet(() -> Decision.refuse(WebAuthnErrors.unknownDomain()));
  }

  /** VerifyU2FRegistration: the key to verify, pending (none found: nothing pending; a verified one: verified already). */
  Decision<WebAuthnKey> decideVerify() {
    if (key.isEmpty()) {
      return Decision.refuse(WebAuthnErrors.nothingPending());
    }
    return key.get().verified() ? Decision.refuse(WebAuthnErrors.alreadyVerified()) : Decision.accept(key.get());
  }

  /**
   * A ceremony's challenge as read for its subject (a pending key, a session): there ({@code none}'s refusal
   * otherwise) and still open, i.e. {@code now} before its expiry (at its expiry it has expired).
   */
  static Decision<WebAuthnChallenge> decideChallenge(Optional<WebAuthnChallenge> found, Supplier<ApiError> none,
                                                     Instant now) {
    if (found.isEmpty()) {
      return Decision.refuse(none.get());
    }
    return found.get().expired(now) ? Decision.refuse(WebAuthnErrors.expired()) : Decision.accept(found.get());
  }

  /** What a verified registration makes of the pending key: its credential, named, verified. */
  static WebAuthnKey registered(WebAuthnKey pending, WebAuthnCeremony.Credential made, String name) {
    return new WebAuthnKey(pending.id(), pending.userId(), pending.rpId(), name, made.credentialId(), made.publicKey(),
      made.aaguid(), made.signCount(), made.transports(), true, pending.createdAt());
  }

  /** {@code checks.webAuthN}: the ready key of the user that made the assertion (by credential id), else refused. */
  static Decision<WebAuthnKey> decideSignIn(List<WebAuthnKey> ready, byte[] credentialId) {
    return ready.stream().filter(k -> Arrays.equals(k.credentialId(), credentialId)).findFirst()
      .<Decision<WebAuthnKey>>map(Decision::accept).orElseGet(() -> Decision.refuse(WebAuthnErrors.unknownKey()));
  }

  /**
   * Removing a key (no policy asked), on what its delete found: the removed key's verified flag, or empty when the user
   * has no such key (refused). Accepted: whether the user is told (only a verified key was one to sign in with).
   */
  static Decision<Boolean> decideRemove(Optional<Boolean> deleted) {
    return deleted.<Decision<Boolean>>map(Decision::accept).orElseGet(() -> Decision.refuse(WebAuthnErrors.notFound()));
  }
}
