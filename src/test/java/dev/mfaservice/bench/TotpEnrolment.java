package dev.mfaservice.bench;

import dev.mfaservice.support.Rfc6238;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** RegisterTOTP on distinct users, then VerifyTOTPRegistration on them with the test kit's RFC 6238 codes. */
final class TotpEnrolment {
  private final Driver driver;
  /** The secret each registration handed out, by user. */
  private final Map<String, String> secrets = new ConcurrentHashMap<>();

  TotpEnrolment(Driver driver) {
    this.driver = driver;
  }

  /** The scenario totp: both measured. */
  void totp() throws Exception {
    register(true);
  }

  /** The scenario verify-totp: the registrations made first, unmeasured (RegisterTOTP is measured with wrk). */
  void verifyTotp() throws Exception {
    driver.silently(() -> register(false));
    verify();
  }

  private void register(boolean thenVerify) throws Exception {
    // before verify-totp, twice the time: verifying is quicker than registering, and it must not run out
    int seconds = driver.options().seconds();
    driver.report("register-totp", driver.measure(this::registerOne, driver.silent() ? 2 * seconds : seconds));
    if (thenVerify) {
      verify();
    }
  }

  private Future<String> registerOne(long n) {
    List<String> users = driver.options().users();
    if (n >= users.size()) {
      return Request.outOfUsers();
    }
    String id = users.get((int) n);
    return driver.api().call(HttpMethod.POST, "/v2/users/" + id + "/totp", new JsonObject(), true)
      .map(body -> {
        secrets.put(id, new JsonObject(body).getString("secret"));
        return body;
      });
  }

  private void verify() throws Exception {
    List<String> registered = List.copyOf(secrets.keySet());
    driver.measured("verify-totp", n -> {
      if (n >= registered.size()) {
        return Request.outOfUsers();
      }
      String id = registered.get((int) n);
      return driver.api().call(HttpMethod.POST, "/v2/users/" + id + "/totp/verify",
        new JsonObject().put("code", Rfc6238.code(secrets.get(id), System.currentTimeMillis() / 1000)), true);
    });
  }
}
