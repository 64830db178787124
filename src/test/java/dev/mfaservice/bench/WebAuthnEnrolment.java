package dev.mfaservice.bench;

import dev.mfaservice.support.SoftAuthenticator;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * enrol-webauthn: a P-256 key (the test kit's software authenticator, attestation "none") per user of the file through
 * the API, RegisterU2F then VerifyU2FRegistration, unmeasured; the keys file to standard output.
 */
final class WebAuthnEnrolment {
  private final Driver driver;

  WebAuthnEnrolment(Driver driver) {
    this.driver = driver;
  }

  void run() throws Exception {
    driver.enrolEach("enrol-webauthn", this::enrol);
  }

  /** The key's line of the keys file, once registered. */
  private Future<String> enrol(String id) {
    SoftAuthenticator key = new SoftAuthenticator(SoftAuthenticator.Alg.ES256);
    Api api = driver.api();
    return api.call(HttpMethod.POST, "/v2/users/" + id + "/u2f", new JsonObject().put("domain", BenchKey.RP_ID), true)
      .compose(body -> {
        JsonObject registered = new JsonObject(body);
        JsonObject credential = key.create(registered.getJsonObject("publicKeyCredentialCreationOptions"),
          driver.options().origin());
        return api.call(HttpMethod.POST, "/v2/users/" + id + "/u2f/" + registered.getString("u2fId"),
          new JsonObject().put("publicKeyCredential", credential).put("tokenName", "bench key"), true);
      })
      .map(body -> BenchKey.line(id, key));
  }
}
