package dev.mfaservice.webauthn;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Challenges of both ceremonies: the relying party a request may name, a fresh random challenge (32 bytes) stored for
 * its purpose, subject and user, and the open one read back — refused once expired.
 */
final class WebAuthnChallenges {
  private static final int CHALLENGE_BYTES = 32;
  private final WebAuthnRepository repository;
  private final WebAuthnSettings config;
  private final SecureRandom random;
  private final Clock clock;

  WebAuthnChallenges(WebAuthnRepository repository, WebAuthnSettings config, SecureRandom random, Clock clock) {
    this.repository = repository;
    this.config = config;
    this.random = random;
    this.clock = clock;
  }

  int timeoutSeconds() {
    return config.challengeSeconds();
  }

  String rpName() {
    return config.rpName();
  }

  /** The relying party named by {@code domain}: one of the configured ids; none named = the first of them. */
  String rpId(String domain) {
    return SecurityKeyEnrolment.decideRelyingParty(domain, config.rpIds()).orElseThrow();
  }

  Future<WebAuthnChallenge> issue(SqlConnection tx, WebAuthnChallenge.Purpose purpose, String subjectId, String userId,
                                  String rpId, String userVerification) {
    WebAuthnChallenge challenge = fresh(purpose, subjectId, userId, rpId, userVerification);
    return repository.saveChallenge(tx, challenge).map(v -> challenge);
  }

  /** A new challenge, not yet stored: a fresh random value, due when the configured time is up. */
  WebAuthnChallenge fresh(WebAuthnChallenge.Purpose purpose, String subjectId, String userId, String rpId,
                          String userVerification) {
    byte[] value = new byte[CHALLENGE_BYTES];
    random.nextBytes(value);
    return new WebAuthnChallenge(purpose, subjectId, userId, value, rpId, userVerification,
      clock.instant().plusSeconds(config.challengeSeconds()));
  }

  /** The open challenge (locked), or {@code none}'s error; an expired one is refused. */
  Future<WebAuthnChallenge> open(SqlConnection tx, WebAuthnChallenge.Purpose purpose, String subjectId, String userId,
                                 Supplier<ApiError> none) {
    return repository.findChallenge(tx, purpose, subjectId, userId).map(found -> opened(found, none));
  }

  /** The challenge found, or {@code none}'s error; an expired one is refused. */
  WebAuthnChallenge opened(Optional<WebAuthnChallenge> found, Supplier<ApiError> none) {
    return SecurityKeyEnrolment.decideChallenge(found, none, clock.instant()).orElseThrow();
  }

  /** Used once: deleted in the transaction that accepted its answer. */
  Future<Void> use(SqlConnection tx, WebAuthnChallenge challenge) {
    return repository.useChallenge(tx, challenge);
  }
}
