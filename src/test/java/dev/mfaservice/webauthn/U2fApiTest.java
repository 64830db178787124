package dev.mfaservice.webauthn;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.SoftAuthenticator;
import dev.mfaservice.support.SoftAuthenticator.Alg;
import dev.mfaservice.support.SoftAuthenticator.Tweaks;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security-key enrolment as clients see it, over HTTP against PostgreSQL, with credentials made by a software
 * authenticator (P-256, Ed25519, RSA) the way a browser hands them over.
 */
class U2fApiTest {
  static TestServer server;
  static String org;
  static String admin;
  static String origin;

  @BeforeAll
  static void start() {
    server = TestServer.start(U2fApiTest.class);
    org = server.createOrg("Keys Org");
    admin = server.adminToken();
    origin = "http://localhost:" + server.config.http().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Reply register(String user, String token) {
    return server.http.post("/v2/users/" + user + "/u2f", token, new JsonObject().put("domain", "localhost"));
  }

  static Reply verify(String user, String keyId, JsonObject credential, String name) {
    return server.http.post("/v2/users/" + user + "/u2f/" + keyId, admin,
      new JsonObject().put("publicKeyCredential", credential).put("tokenName", name));
  }

  @Test
  void registerVerifyListAndRemoveThreeKeysOfOneUser() {
    String user = server.createUser(org, "three-keys");
    Reply started = register(user, admin);
    assertEquals(200, started.status(), started.text());
    String first = started.json().getString("u2fId");
    JsonObject options = started.json().getJsonObject("publicKeyCredentialCreationOptions");
    JsonObject pk = options.getJsonObject("publicKey");
    assertEquals(32, Base64.getUrlDecoder().decode(pk.getString("challenge")).length);
    assertEquals(new JsonObject().put("id", "localhost").put("name", "mfa-service"), pk.getJsonObject("rp"));
    assertEquals(user, new String(Base64.getUrlDecoder().decode(pk.getJsonObject("user").getString("id")), StandardCharsets.UTF_8));
    assertEquals("three-keys", pk.getJsonObject("user").getString("name"));
    assertEquals("Given Family", pk.getJsonObject("user").getString("displayName"));
    assertEquals(new JsonArray().add(-7).add(-8).add(-257),
      new JsonArray(pk.getJsonArray("pubKeyCredParams").stream().map(p -> ((JsonObject) p).getInteger("alg")).toList()));
    assertEquals("none", pk.getString("attestation"));
    assertEquals(new JsonArray(), pk.getJsonArray("excludeCredentials"));
    assertEquals(300000, pk.getInteger("timeout"));
    assertEquals("2", started.json().getJsonObject("details").getString("sequence"));
    assertEquals(new JsonArray(), methods(user));

    SoftAuthenticator es = new SoftAuthenticator(Alg.ES256);
    Reply verified = verify(user, first, es.create(options, origin), "blue key");
    assertEquals(200, verified.status(), verified.text());
    assertEquals("3", verified.json().getJsonObject("details").getString("sequence"));
    assertEquals(new JsonArray().add("AUTHENTICATION_METHOD_TYPE_U2F"), methods(user));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from webauthn_keys where id = '" + first
      + "' and verified and sign_count = 0 and aaguid = '" + SoftAuthenticator.AAGUID_VALUE + "' and transports = '{usb}'"
      + " and public_key is not null and name = 'blue key' and verified_at is not null"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from webauthn_challenges where user_id = '" + user + "'"));

    Reply second = register(user, admin);
    JsonObject secondOptions = second.json().getJsonObject("publicKeyCredentialCreationOptions");
    assertEquals(es.credentialIdBase64url(), secondOptions.getJsonObject("publicKey").getJsonArray("excludeCredentials")
      .getJsonObject(0).getString("id"));
    assertEquals(200, verify(user, second.json().getString("u2fId"), new SoftAuthenticator(Alg.EdDSA)
      .create(secondOptions, origin), "ed key").status());
    Reply third = register(user, admin);
    assertEquals(200, verify(user, third.json().getString("u2fId"), new SoftAuthenticator(Alg.RS256)
      .create(third.json().getJsonObject("publicKeyCredentialCreationOptions"), origin), "rsa key").status());
    String pending = register(user, admin).json().getString("u2fId");

    JsonArray all = factors(user, new JsonObject());
    assertEquals(4, all.size(), all.encode());
    assertEquals(new JsonObject().put("state", "AUTH_FACTOR_STATE_READY").put("u2f", new JsonObject().put("id", first)
      .put("name", "blue key")), all.getJsonObject(0));
    assertEquals(new JsonObject().put("state", "AUTH_FACTOR_STATE_NOT_READY").put("u2f", new JsonObject().put("id", pending)),
      all.getJsonObject(3));
    assertEquals(3, factors(user, new JsonObject().put("states", new JsonArray().add("AUTH_FACTOR_STATE_READY"))).size());
    assertEquals(0, factors(user, new JsonObject().put("authFactors", new JsonArray().add("OTP"))).size());

    Reply removed = server.http.delete("/v2/users/" + user + "/u2f/" + first, admin);
    assertEquals(200, removed.status(), removed.text());
    assertEquals(1, events(user, "user.human.u2f.token.removed"));
    assertEquals(4, events(user, "user.human.u2f.token.added"));
    assertEquals(3, events(user, "user.human.u2f.token.verified"));
    assertError(server.http.delete("/v2/users/" + user + "/u2f/" + first, admin), 404, 5, "WEBAUTHN-notFound");
    assertEquals(3, factors(user, new JsonObject()).size());
    assertError(register("does-not-exist", admin), 404, 5, "COMMAND-SqyJz");
  }

  @Test
  void everyBadCredentialIsRefusedWithItsIdAndChangesNothing() {
    String user = server.createUser(org, "careless-keys");
    Reply started = register(user, admin);
    String keyId = started.json().getString("u2fId");
    JsonObject options = started.json().getJsonObject("publicKeyCredentialCreationOptions");
    SoftAuthenticator key = new SoftAuthenticator(Alg.ES256);
    long eventsBefore = allEvents(user);

    bad(user, keyId, key.create(options, "http://evil.example:8080"), "WEBAUTHN-origin");
    bad(user, keyId, key.create(options, tweak(t -> t.rpId = "evil.example")), "WEBAUTHN-rpId");
    bad(user, keyId, key.create(options, tweak(t -> t.type = "webauthn.get")), "WEBAUTHN-type");
    bad(user, keyId, key.create(options, tweak(t -> t.challenge = SoftAuthenticator.b64(new byte[32]))), "WEBAUTHN-challenge");
    bad(user, keyId, key.create(options, tweak(t -> t.userPresent = false)), "WEBAUTHN-presence");
    JsonObject garbled = key.create(options, origin);
    garbled.getJsonObject("response").put("attestationObject", "bm90IGNib3I");
    bad(user, keyId, garbled, "WEBAUTHN-malformed");
    bad(user, keyId, new JsonObject().put("id", "abc").put("type", "public-key"), "WEBAUTHN-malformed");
    JsonObject notBase64 = key.create(options, origin);
    notBase64.getJsonObject("response").put("clientDataJSON", "***");
    bad(user, keyId, notBase64, "WEBAUTHN-malformed");
    JsonObject oversized = key.create(options, origin);
    oversized.put("padding", "x".repeat(13 * 1024));
    bad(user, keyId, oversized, "WEBAUTHN-malformed");
    assertError(verify(user, keyId, new JsonObject(), "k"), 400, 3, "WEBAUTHN-malformed");
    assertError(server.http.post("/v2/users/" + user + "/u2f/" + keyId, admin, new JsonObject().put("tokenName", "k")),
      400, 3, "API-validation");
    assertError(verify(user, "123456789", key.create(options, origin), "k"), 404, 5, "WEBAUTHN-noPending");
    assertError(server.http.post("/v2/users/" + user + "/u2f", admin, new JsonObject().put("domain", "evil.example")),
      400, 3, "WEBAUTHN-domain");

    assertEquals(eventsBefore, allEvents(user), "refusals change nothing");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from webauthn_keys where user_id = '" + user
      + "' and verified"));

    JsonObject good = key.create(options, origin);
    assertEquals(200, verify(user, keyId, good, "at last").status());
    assertError(verify(user, keyId, good, "again"), 400, 9, "WEBAUTHN-verified");

    // The same credential for someone else's registration: refused, whoever registered it first.
    String other = server.createUser(org, "copycat");
    Reply otherStart = register(other, admin);
    JsonObject copied = key.create(otherStart.json().getJsonObject("publicKeyCredentialCreationOptions"), origin);
    assertError(verify(other, otherStart.json().getString("u2fId"), copied, "mine"), 409, 6, "WEBAUTHN-taken");
  }

  @Test
  void anExpiredChallengeIsRefused() {
    String user = server.createUser(org, "slow-keys");
    Reply started = register(user, admin);
    TestDatabases.execute(server.database, "update webauthn_challenges set expires_at = now() - interval '1 second'"
      + " where user_id = '" + user + "'");
    JsonObject credential = new SoftAuthenticator(Alg.ES256)
      .create(started.json().getJsonObject("publicKeyCredentialCreationOptions"), origin);
    assertError(verify(user, started.json().getString("u2fId"), credential, "late"), 400, 9, "WEBAUTHN-expired");
  }

  @Test
  void anOrgThatDoesNotAllowU2fRefusesEnrolment() {
    String strict = server.createOrg("Only OTP");
    assertEquals(200, server.http.call("DELETE", "/management/v1/policies/login/second_factors/SECOND_FACTOR_TYPE_U2F",
      admin, null, Map.of("x-zitadel-orgid", strict)).status());
    String user = server.createUser(strict, "no-keys-here");
    Reply refused = register(user, admin);
    assertEquals(400, refused.status(), refused.text());
    assertEquals(9, refused.json().getInteger("code"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from webauthn_keys where user_id = '" + user + "'"));
  }

  @Test
  void selfServiceCarriesOptionsAndCredentialAsBytes() {
    String me = server.createUser(org, "self-keys");
    String token = server.token(me, org);
    Reply added = server.http.post("/auth/v1/users/me/auth_factors/u2f", token, new JsonObject());
    assertEquals(200, added.status(), added.text());
    JsonObject options = new JsonObject(new String(Base64.getDecoder().decode(
      added.json().getJsonObject("key").getString("publicKey")), StandardCharsets.UTF_8));
    JsonObject credential = new SoftAuthenticator(Alg.ES256).create(options, origin);
    String bytes = Base64.getEncoder().encodeToString(credential.encode().getBytes(StandardCharsets.UTF_8));
    assertError(server.http.post("/auth/v1/users/me/auth_factors/u2f/_verify", token, new JsonObject().put("verification",
      new JsonObject().put("publicKeyCredential", "bm90IGpzb24=").put("tokenName", "mine"))), 400, 3, "WEBAUTHN-malformed");
    Reply verified = server.http.post("/auth/v1/users/me/auth_factors/u2f/_verify", token, new JsonObject()
      .put("verification", new JsonObject().put("publicKeyCredential", bytes).put("tokenName", "mine")));
    assertEquals(200, verified.status(), verified.text());
    JsonArray mine = server.http.post("/auth/v1/users/me/auth_factors/_search", token, new JsonObject()).json()
      .getJsonArray("result");
    JsonObject u2f = mine.getJsonObject(0).getJsonObject("u2f");
    assertEquals("mine", u2f.getString("name"));
    assertEquals(200, server.http.delete("/auth/v1/users/me/auth_factors/u2f/" + u2f.getString("id"), token).status());
    assertError(server.http.delete("/auth/v1/users/me/auth_factors/u2f/" + u2f.getString("id"), token), 404, 5,
      "WEBAUTHN-notFound");
    assertEquals(new JsonArray(), server.http.post("/auth/v1/users/me/auth_factors/_search", token, new JsonObject())
      .json().getJsonArray("result"));
  }

  private static void bad(String user, String keyId, JsonObject credential, String id) {
    assertError(verify(user, keyId, credential, "k"), 400, 3, id);
  }

  private static Tweaks tweak(Consumer<Tweaks> change) {
    Tweaks t = Tweaks.origin(origin);
    change.accept(t);
    return t;
  }

  private static JsonArray methods(String user) {
    return server.http.get("/v2/users/" + user + "/authentication_methods", admin).json().getJsonArray("authMethodTypes");
  }

  static JsonArray factors(String user, JsonObject filter) {
    Reply r = server.http.post("/v2/users/" + user + "/authentication_factors/_search", admin, filter);
    assertEquals(200, r.status(), r.text());
    return r.json().getJsonArray("result", new JsonArray());
  }

  private static long events(String user, String type) {
    return TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = '" + type + "'");
  }

  private static long allEvents(String user) {
    return TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user + "'");
  }

  static void assertTrueWith(boolean condition, String message) {
    assertTrue(condition, message);
  }
}
