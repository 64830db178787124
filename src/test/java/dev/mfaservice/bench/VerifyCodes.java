package dev.mfaservice.bench;

import static dev.mfaservice.bench.VerifyAccount.encode;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Twilio Verify over its v2 API, as an app calls it: per request, Create Verification (Channel=sms, a number of its
 * own) then VerificationCheck with the code the SMS brought ({@link SmsSink}) → approved. Set up on first use, silent:
 * a credential of the bench org ({@link VerifyAccount}) and a Verify Service.
 */
final class VerifyCodes {
  private final Driver driver;
  private VerifyAccount account;
  private String service;
  /**
   * Numbers +4477 1…–+4477 7…, UK mobiles libphonenumber takes as valid (of +447 and any 9 digits some blocks are not:
   * a run starting in one failed every request with 60200): a random start per client process, then one more per
   * request (distinct across the runs).
   */
  private final long firstNumber = ThreadLocalRandom.current().nextLong(70_000_000L);

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
      String to = "+4477" + (10_000_000L + (firstNumber + n) % 70_000_000L);
      Future<String> sms = driver.smsSink().expect(to);
      return verify("/Verifications", "To=" + encode(to) + "&Channel=sms")
        .compose(created -> sms.map(code -> (bySid ? "VerificationSid=" + new JsonObject(created).getString("sid")
          : "To=" + encode(to)) + "&Code=" + code))
        .compose(check -> verify("/VerificationCheck", check))
        .compose(VerifyAccount::approved);
    };
  }

  private Future<String> verify(String path, String form) {
    return account.post("/v2/Services/" + service + path, form);
  }

  private void setUp() {
    if (service != null) {
      return;
    }
    driver.smsSink();
    account = VerifyAccount.create(driver.api());
    service = account.newService("Bench");
  }
}
