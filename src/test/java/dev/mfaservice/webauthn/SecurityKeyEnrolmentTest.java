package dev.mfaservice.webauthn;

import static dev.mfaservice.support.Decided.accepted;
import static dev.mfaservice.support.Decided.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.errors.Decision;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.support.Decided;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of {@link SecurityKeyEnrolment}, one case a row (as ZITADEL's command tests): the key (and challenge)
 * read, the request, the time, and what is decided. The WebAuthn ceremonies themselves are webauthn4j's (see
 * U2fApiTest and WebAuthnSessionTest). No server, no database.
 */
class SecurityKeyEnrolmentTest {
  static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);
  static final List<String> RP_IDS = List.of("login.acme.test", "acme.test");
  static final WebAuthnKey PENDING = key("k1", null, false);
  static final WebAuthnKey VERIFIED = key("k2", new byte[] {1, 2, 3}, true);
  static final WebAuthnKey OTHER = key("k3", new byte[] {4, 5, 6}, true);

  static final Decided UNKNOWN_DOMAIN = refused(GrpcCode.INVALID_ARGUMENT, "WEBAUTHN-domain",
    "The domain is not a relying party of this service");
  static final Decided NOTHING_PENDING = refused(GrpcCode.NOT_FOUND, "WEBAUTHN-noPending",
    "No security key registration is pending with this id");
  static final Decided NO_CHALLENGE = refused(GrpcCode.FAILED_PRECONDITION, "WEBAUTHN-noChallenge",
    "No security key challenge is open for this session: ask for one (challenges.webAuthN) first");
  static final Decided EXPIRED = refused(GrpcCode.FAILED_PRECONDITION, "WEBAUTHN-expired",
    "The challenge has expired: ask for a new one");
  static final Decided UNKNOWN_KEY = refused(GrpcCode.INVALID_ARGUMENT, "WEBAUTHN-unknownKey",
    "The credential is not a ready security key of this user");

  /** name, given (what load read), when (the decision asked, with its input and time), then (what it decides). */
  record Case(String name, SecurityKeyEnrolment given, Function<SecurityKeyEnrolment, Decision<?>> when, Decided then) {
    @Override
    public String toString() {
      return name;
    }
  }

  static WebAuthnKey key(String id, byte[] credentialId, boolean verified) {
    return new WebAuthnKey(id, "u1", "acme.test", verified ? "key " + id : null, credentialId, verified ? new byte[] {9}
      : null, null, verified ? 7 : 0, List.of(), verified, NOW.minusSeconds(60));
  }

  static WebAuthnChallenge challenge(Instant expiresAt) {
    return new WebAuthnChallenge(WebAuthnChallenge.Purpose.REGISTER, "k1", "u1", new byte[32], "acme.test",
      "discouraged", expiresAt);
  }

  static SecurityKeyEnrolment given(WebAuthnKey key) {
    return new SecurityKeyEnrolment(Optional.ofNullable(key));
  }

  static Case relyingParty(String name, String domain, List<String> rpIds, Decided then) {
    return new Case("relying party: " + name, given(null), e -> SecurityKeyEnrolment.decideRelyingParty(domain, rpIds),
      then);
  }

  static Case challenge(String name, WebAuthnChallenge found, boolean registration, Decided then) {
    return new Case("challenge: " + name, given(PENDING), e -> SecurityKeyEnrolment.decideChallenge(
      Optional.ofNullable(found), registration ? WebAuthnErrors::nothingPending : WebAuthnErrors::noChallenge, NOW),
      then);
  }

  static Stream<Case> cases() {
    WebAuthnChallenge open = challenge(NOW.plusSeconds(1));
    return Stream.of(
      relyingParty("none named is the first configured", null, RP_IDS, accepted("login.acme.test")),
      relyingParty("empty is none", "", RP_IDS, accepted("login.acme.test")),
      relyingParty("a configured one", "acme.test", RP_IDS, accepted("acme.test")),
      relyingParty("in another case, as configured", "ACME.Test", RP_IDS, accepted("acme.test")),
      relyingParty("another domain", "evil.test", RP_IDS, UNKNOWN_DOMAIN),
      relyingParty("a subdomain is another domain", "sub.acme.test", RP_IDS, UNKNOWN_DOMAIN),
      relyingParty("none named and none configured", null, List.of(), UNKNOWN_DOMAIN),

      new Case("verify: no such key pending", given(null), SecurityKeyEnrolment::decideVerify, NOTHING_PENDING),
      new Case("verify: a pending key", given(PENDING), SecurityKeyEnrolment::decideVerify, accepted(PENDING)),
      new Case("verify: a verified key", given(VERIFIED), SecurityKeyEnrolment::decideVerify,
        refused(GrpcCode.FAILED_PRECONDITION, "WEBAUTHN-verified", "This security key is verified already")),

      challenge("a registration's, none open", null, true, NOTHING_PENDING),
      challenge("a sign-in's, none open", null, false, NO_CHALLENGE),
      challenge("open a second more", open, true, accepted(open)),
      challenge("expiring exactly now has expired", challenge(NOW), true, EXPIRED),
      challenge("expired a second ago", challenge(NOW.minusSeconds(1)), false, EXPIRED),

      new Case("sign-in: the key that made the assertion", given(null),
        e -> SecurityKeyEnrolment.decideSignIn(List.of(VERIFIED, OTHER), new byte[] {4, 5, 6}), accepted(OTHER)),
      new Case("sign-in: no ready key", given(null),
        e -> SecurityKeyEnrolment.decideSignIn(List.of(), new byte[] {1, 2, 3}), UNKNOWN_KEY),
      new Case("sign-in: a credential of no ready key", given(null),
        e -> SecurityKeyEnrolment.decideSignIn(List.of(VERIFIED, OTHER), new byte[] {1, 2}), UNKNOWN_KEY),

      new Case("remove: no such key", given(null), e -> SecurityKeyEnrolment.decideRemove(Optional.empty()),
        refused(GrpcCode.NOT_FOUND, "WEBAUTHN-notFound", "The user has no security key with this id")),
      new Case("remove: a pending key, nobody told", given(PENDING),
        e -> SecurityKeyEnrolment.decideRemove(Optional.of(false)), accepted(false)),
      new Case("remove: a verified key, the user told", given(VERIFIED),
        e -> SecurityKeyEnrolment.decideRemove(Optional.of(true)), accepted(true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    c.then().assertMatches(c.when().apply(c.given()), c.name());
  }

  /** A verified registration keeps the pending key's identity and takes the credential, named, verified. */
  @Test
  void aRegisteredKeyIsThePendingOneWithItsCredential() {
    UUID aaguid = UUID.randomUUID();
    WebAuthnCeremony.Credential made = new WebAuthnCeremony.Credential(new byte[] {7, 7}, new byte[] {8}, aaguid, 42,
      List.of("usb"));
    WebAuthnKey key = SecurityKeyEnrolment.registered(PENDING, made, "my key");
    assertEquals(List.of("k1", "u1", "acme.test", "my key", aaguid, 42L, List.of("usb"), PENDING.createdAt()),
      List.of(key.id(), key.userId(), key.rpId(), key.name(), key.aaguid(), key.signCount(), key.transports(),
        key.createdAt()));
    assertArrayEquals(new byte[] {7, 7}, key.credentialId());
    assertArrayEquals(new byte[] {8}, key.publicKey());
    assertTrue(key.verified());
  }
}
