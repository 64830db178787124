package dev.mfaservice.bench;

import dev.mfaservice.support.SoftAuthenticator;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * enrol-webauthn: a P-256 key (the test kit's software authenticator, attestation "none") per user of the file through
 * the API, RegisterU2F then VerifyU2FRegistration, unmeasured; the keys file to standard output.
 */
final class WebAuthnEnrolment {
  private final Driver driver;
  private final Queue<String> lines = new ConcurrentLinkedQueue<>();

  WebAuthnEnrolment(Driver driver) {
    this.driver = driver;
  }

  void run() throws Exception {
    driver.silence();
    List<String> users = driver.options().users();
    // a long time: it stops when the users run out
    Result r = driver.measure(n -> n >= users.size() ? Request.outOfUsers() : enrol(users.get((int) n)), 3600);
    if (r.errors() > 0 || lines.size() != users.size()) {
      throw new IllegalStateException("enrol-webauthn: " + r.errors() + " errors, " + lines.size() + " of "
        + users.size() + " keys registered");
    }
    lines.forEach(System.out::println);
    System.out.flush();
  }

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
      .map(body -> {
        lines.add(BenchKey.line(id, key));
        return body;
      });
  }
}
