package dev.mfaservice.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Twilio Verify over its v2 API, as an app calls it: per request, Create Verification (Channel=sms, a number of its
 * own) then VerificationCheck with the code the SMS brought ({@link SmsSink}) → approved. Set up on first use, silent:
 * a credential of the bench org (POST /v2/organizations/bench-org/twilio_credentials with the admin token) and a
 * Verify Service; both calls then authenticate with HTTP Basic (Account SID, auth token), as Twilio's clients do.
 */
final class VerifyCodes {
  static final String ORG = "bench-org";
  private final Driver driver;
  private String basic;
  private String service;
  /** Numbers +447…: a random start per client process, then one more per request (distinct across the runs). */
  private final long firstNumber = ThreadLocalRandom.current().nextLong(1_000_000_000L);

  VerifyCodes(Driver driver) {
    this.driver = driver;
  }

  /**
   * The scenario's requests: a verification created and checked, two calls; the check names the verification by its
   * To (as Twilio's examples do) or, {@code bySid}, by its VerificationSid.
   */
  Request createAndCheck(boolean bySid) {
    setUp();
    return n -> {
      String to = "+447" + String.format("%09d", (firstNumber + n) % 1_000_000_000L);
      Future<String> sms = driver.smsSink().expect(to);
      return verify("/Verifications", "To=" + encode(to) + "&Channel=sms")
        .compose(created -> sms.map(code -> (bySid ? "VerificationSid=" + new JsonObject(created).getString("sid")
          : "To=" + encode(to)) + "&Code=" + code))
        .compose(check -> verify("/VerificationCheck", check))
        .compose(checked -> "approved".equals(new JsonObject(checked).getString("status")) ? Future.succeededFuture(checked)
          : Future.failedFuture("not approved: " + checked));
    };
  }

  private Future<String> verify(String path, String form) {
    return driver.api().form("/v2/Services/" + service + path, form, basic);
  }

  private void setUp() {
    if (service != null) {
      return;
    }
    driver.smsSink();
    Api api = driver.api();
    JsonObject credential = new JsonObject(api.call(HttpMethod.POST, "/v2/organizations/" + ORG + "/twilio_credentials",
      new JsonObject(), true).await());
    basic = "Basic " + Base64.getEncoder().encodeToString((credential.getString("accountSid") + ":"
      + credential.getString("authToken")).getBytes(StandardCharsets.UTF_8));
    service = new JsonObject(api.form("/v2/Services", "FriendlyName=Bench", basic).await()).getString("sid");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
