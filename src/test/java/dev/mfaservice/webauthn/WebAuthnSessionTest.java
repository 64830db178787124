package dev.mfaservice.webauthn;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.SoftAuthenticator;
import dev.mfaservice.support.SoftAuthenticator.Alg;
import dev.mfaservice.support.SoftAuthenticator.Tweaks;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signing in with a security key: the session's webAuthN challenge and check, over HTTP against PostgreSQL. */
class WebAuthnSessionTest {
  static TestServer server;
  static String org;
  static String admin;
  static String origin;

  @BeforeAll
  static void start() {
    server = TestServer.start(WebAuthnSessionTest.class);
    org = server.createOrg("Sign-in Org");
    admin = server.adminToken();
    origin = "http://localhost:" + server.config.http().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A user with one ready key of {@code key}. */
  static String enrolled(String name, SoftAuthenticator key) {
    String user = server.createUser(org, name);
    Reply started = server.http.post("/v2/users/" + user + "/u2f", admin, new JsonObject());
    Reply verified = server.http.post("/v2/users/" + user + "/u2f/" + started.json().getString("u2fId"), admin,
      new JsonObject().put("publicKeyCredential", key.create(started.json()
        .getJsonObject("publicKeyCredentialCreationOptions"), origin)).put("tokenName", "key"));
    assertEquals(200, verified.status(), verified.text());
    return user;
  }

  /** CreateSession for the user with a webAuthN challenge: the session id and the request options. */
  static String[] challenged(String user, String requirement) {
    JsonObject webAuthN = new JsonObject().put("domain", "localhost");
    if (requirement != null) {
      webAuthN.put("userVerificationRequirement", requirement);
    }
    Reply created = server.http.post("/v2/sessions", admin, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
      .put("challenges", new JsonObject().put("webAuthN", webAuthN)));
    assertEquals(201, created.status(), created.text());
    JsonObject options = created.json().getJsonObject("challenges").getJsonObject("webAuthN")
      .getJsonObject("publicKeyCredentialRequestOptions");
    return new String[] {created.json().getString("sessionId"), options.encode()};
  }

  static Reply check(String sessionId, JsonObject assertion) {
    return server.http.call("PATCH", "/v2/sessions/" + sessionId, admin, new JsonObject().put("checks",
      new JsonObject().put("webAuthN", new JsonObject().put("credentialAssertionData", assertion))), Map.of());
  }

  static JsonObject factors(String sessionId) {
    return server.http.get("/v2/sessions/" + sessionId, admin).json().getJsonObject("session").getJsonObject("factors");
  }

  @Test
  void aKeySignsInOnceAndTheSessionShowsIt() {
    SoftAuthenticator key = new SoftAuthenticator(Alg.ES256);
    String user = enrolled("signs-in", key);
    String[] session = challenged(user, "USER_VERIFICATION_REQUIREMENT_REQUIRED");
    JsonObject pk = new JsonObject(session[1]).getJsonObject("publicKey");
    assertEquals("localhost", pk.getString("rpId"));
    assertEquals("required", pk.getString("userVerification"));
    assertEquals(key.credentialIdBase64url(), pk.getJsonArray("allowCredentials").getJsonObject(0).getString("id"));
    assertNull(factors(session[0]).getJsonObject("webAuthN"));

    JsonObject assertion = key.get(new JsonObject(session[1]), tweak(t -> t.userVerified = true));
    Reply checked = check(session[0], assertion);
    assertEquals(200, checked.status(), checked.text());
    JsonObject factor = factors(session[0]).getJsonObject("webAuthN");
    assertNotNull(factor.getString("verifiedAt"));
    assertEquals(true, factor.getBoolean("userVerified"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from webauthn_keys where user_id = '" + user
      + "' and sign_count = 1 and last_used_at is not null"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.human.u2f.token.signcount.changed'"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + session[0]
      + "' and payload->'done' ? 'webAuthN'"));

    // The challenge was used: the same assertion again finds none.
    assertError(check(session[0], assertion), 400, 9, "WEBAUTHN-noChallenge");
  }

  /** A key that keeps no counter (always 0): it signs in again and again; its last use moves, no counter event. */
  @Test
  void aKeyWithoutACounterSignsInWithoutACounterEvent() {
    SoftAuthenticator key = new SoftAuthenticator(Alg.ES256);
    String user = server.createUser(org, "no-counter");
    Reply started = server.http.post("/v2/users/" + user + "/u2f", admin, new JsonObject());
    assertEquals(200, server.http.post("/v2/users/" + user + "/u2f/" + started.json().getString("u2fId"), admin,
      new JsonObject().put("publicKeyCredential", key.create(started.json()
        .getJsonObject("publicKeyCredentialCreationOptions"), tweak(t -> t.counter = 0L))).put("tokenName", "key"))
      .status());
    for (int round = 0; round < 2; round++) {
      String[] session = challenged(user, null);
      JsonObject assertion = key.get(new JsonObject(session[1]), tweak(t -> t.counter = 0L));
      Reply checked = check(session[0], assertion);
      assertEquals(200, checked.status(), checked.text());
      assertNotNull(factors(session[0]).getJsonObject("webAuthN").getString("verifiedAt"));
      assertError(check(session[0], assertion), 400, 9, "WEBAUTHN-noChallenge");
    }
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from webauthn_keys where user_id = '" + user
      + "' and sign_count = 0 and last_used_at is not null"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from webauthn_challenges where user_id = '"
      + user + "'"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type like 'user.human.u2f.token.signcount.%'"));
  }

  @Test
  void aCounterThatDoesNotGrowIsRefusedAndRecorded() {
    SoftAuthenticator key = new SoftAuthenticator(Alg.EdDSA);
    String user = enrolled("cloned", key);
    String[] first = challenged(user, null);
    assertEquals(200, check(first[0], key.get(new JsonObject(first[1]), origin)).status());
    long counter = key.counter();
    String[] second = challenged(user, null);
    assertError(check(second[0], key.get(new JsonObject(second[1]), tweak(t -> t.counter = counter))), 400, 9,
      "WEBAUTHN-counter");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_type = 'webauthn_key'"
      + " and event_type = 'user.human.u2f.token.signcount.regressed' and payload->>'userId' = '" + user + "'"));
    assertNull(factors(second[0]).getJsonObject("webAuthN"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.human.mfa.check.failed' and payload->>'factor' = 'SECOND_FACTOR_TYPE_U2F'"));
    // The refusal left the challenge open: a real next counter still signs in.
    assertEquals(200, check(second[0], key.get(new JsonObject(second[1]), tweak(t -> t.counter = counter + 5))).status());
  }

  @Test
  void badAssertionsAreRefusedWithTheirIds() {
    SoftAuthenticator key = new SoftAuthenticator(Alg.RS256);
    String user = enrolled("bad-assertions", key);
    SoftAuthenticator strangersKey = new SoftAuthenticator(Alg.ES256);
    enrolled("stranger", strangersKey);
    String[] s = challenged(user, "USER_VERIFICATION_REQUIREMENT_REQUIRED");
    JsonObject options = new JsonObject(s[1]);
    long before = key.counter();

    assertError(check(s[0], strangersKey.get(options, origin)), 400, 3, "WEBAUTHN-unknownKey");
    assertError(check(s[0], key.get(options, tweak(t -> t.userVerified = false))), 400, 3, "WEBAUTHN-verification");
    assertError(check(s[0], key.get(options, tweak(t -> {
      t.userVerified = true;
      t.origin = "https://evil.example";
    }))), 400, 3, "WEBAUTHN-origin");
    assertError(check(s[0], key.get(options, tweak(t -> {
      t.userVerified = true;
      t.badSignature = true;
    }))), 400, 3, "WEBAUTHN-signature");
    assertError(check(s[0], key.get(options, tweak(t -> {
      t.userVerified = true;
      t.badClientData = true;
    }))), 400, 3, "WEBAUTHN-signature");
    assertError(check(s[0], key.get(options, tweak(t -> {
      t.userVerified = true;
      t.rpId = "evil.example";
    }))), 400, 3, "WEBAUTHN-rpId");
    assertError(check(s[0], new JsonObject().put("type", "public-key")), 400, 3, "WEBAUTHN-malformed");
    assertFalse(factors(s[0]).containsKey("webAuthN"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from webauthn_keys where user_id = '" + user
      + "' and sign_count > " + before + " or (user_id = '" + user + "' and last_used_at is not null)"));
    assertTrue(key.counter() > before);
  }

  @Test
  void noKeyNoChallengeAndThePolicyRefuse() {
    String keyless = server.createUser(org, "keyless");
    Reply refused = server.http.post("/v2/sessions", admin, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", keyless)))
      .put("challenges", new JsonObject().put("webAuthN", new JsonObject())));
    assertError(refused, 400, 9, "SESSION-notEnrolled");
    // the challenge's insert went out with the keys' read: the refusal rolled it back, and no session was made
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from webauthn_challenges where user_id = '"
      + keyless + "'"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from sessions where user_id = '" + keyless
      + "'"));

    SoftAuthenticator key = new SoftAuthenticator(Alg.ES256);
    String user = enrolled("no-challenge", key);
    Reply plain = server.http.post("/v2/sessions", admin, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user))));
    String[] other = challenged(user, null);
    assertError(check(plain.json().getString("sessionId"), key.get(new JsonObject(other[1]), origin)), 400, 9,
      "WEBAUTHN-noChallenge");

    TestDatabases.execute(server.database, "update webauthn_challenges set expires_at = now() - interval '1 second'"
      + " where subject_id = '" + other[0] + "'");
    assertError(check(other[0], key.get(new JsonObject(other[1]), origin)), 400, 9, "WEBAUTHN-expired");

    assertEquals(200, server.http.call("DELETE", "/management/v1/policies/login/second_factors/SECOND_FACTOR_TYPE_U2F",
      admin, null, Map.of("x-zitadel-orgid", org)).status());
    try {
      Reply blocked = server.http.post("/v2/sessions", admin, new JsonObject()
        .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
        .put("challenges", new JsonObject().put("webAuthN", new JsonObject())));
      assertEquals(400, blocked.status(), blocked.text());
      assertEquals(9, blocked.json().getInteger("code"));
    } finally {
      assertEquals(200, server.http.call("POST", "/management/v1/policies/login/second_factors", admin,
        new JsonObject().put("type", "SECOND_FACTOR_TYPE_U2F"), Map.of("x-zitadel-orgid", org)).status());
    }
  }

  private static Tweaks tweak(Consumer<Tweaks> change) {
    Tweaks t = Tweaks.origin(origin);
    change.accept(t);
    return t;
  }
}
