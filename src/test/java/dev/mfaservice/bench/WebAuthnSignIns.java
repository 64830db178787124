package dev.mfaservice.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** Security-key sign-ins: a session with a webAuthN challenge, then SetSession with the key's assertion (two calls). */
final class WebAuthnSignIns {
  private final Driver driver;
  /** The users file is the keys file here; keys sign in turn. */
  private BenchKey[] keys;

  WebAuthnSignIns(Driver driver) {
    this.driver = driver;
  }

  Future<String> signIn(long n) {
    BenchKey key = key(n);
    Api api = driver.api();
    JsonObject create = new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", key.userId)))
      .put("challenges", new JsonObject().put("webAuthN", new JsonObject().put("domain", BenchKey.RP_ID)
        .put("userVerificationRequirement", "USER_VERIFICATION_REQUIREMENT_DISCOURAGED")));
    return api.call(HttpMethod.POST, "/v2/sessions", create, true).compose(body -> {
      JsonObject created = new JsonObject(body);
      JsonObject options = created.getJsonObject("challenges").getJsonObject("webAuthN")
        .getJsonObject("publicKeyCredentialRequestOptions");
      JsonObject assertion = key.assertion(options, driver.options().origin());
      JsonObject check = new JsonObject().put("sessionToken", created.getString("sessionToken")).put("checks",
        new JsonObject().put("webAuthN", new JsonObject().put("credentialAssertionData", assertion)));
      return api.call(HttpMethod.PATCH, "/v2/sessions/" + created.getString("sessionId"), check, true);
    });
  }

  private BenchKey key(long n) {
    if (keys == null) {
      keys = driver.options().users().stream().map(BenchKey::parse).toArray(BenchKey[]::new);
    }
    return keys[(int) (n % keys.length)];
  }
}
