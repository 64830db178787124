package dev.mfaservice.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** The requests of one call that need no code: GET /healthz, GET /v2/users/{id}, AddOTPEmail (v3alpha, returnCode). */
final class PlainCalls {
  private final Driver driver;

  PlainCalls(Driver driver) {
    this.driver = driver;
  }

  Request healthz() {
    return n -> driver.api().call(HttpMethod.GET, "/healthz", null, false);
  }

  Request getUser() {
    return n -> driver.api().call(HttpMethod.GET, "/v2/users/" + driver.options().user(n), null, true);
  }

  /** An address of its own per request: {@code prefix} n - nanos @bench.test. */
  Request addOtpEmail(String prefix) {
    return n -> driver.api().call(HttpMethod.POST, "/v3alpha/users/" + driver.options().user(n) + "/otp_email",
      new JsonObject().put("email", new JsonObject().put("address", prefix + n + "-" + System.nanoTime() + "@bench.test")
        .put("returnCode", new JsonObject())), true);
  }
}
