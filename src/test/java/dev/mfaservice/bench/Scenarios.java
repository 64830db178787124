package dev.mfaservice.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * The scenarios by the names bench/run gives, one set per client process (verify-totp uses the secrets its set-up
 * registered; sign-ins remember each user's last TOTP step):
 * <ul>
 *   <li>healthz, get-user, add-otp-email ({@link PlainCalls});</li>
 *   <li>totp (RegisterTOTP then VerifyTOTPRegistration), verify-totp (the registrations unmeasured first)
 *       ({@link TotpEnrolment});</li>
 *   <li>register-totp-rest, -connect, -grpc: RegisterTOTP over REST, Connect and gRPC ({@link RegisterTotpRpc});</li>
 *   <li>sign-in (TOTP), sign-in-email, sign-in-sms ({@link SignIns}); sign-in-webauthn ({@link WebAuthnSignIns});</li>
 *   <li>verify, verify-by-sid: Twilio Verify, a verification by SMS created and checked by To or by VerificationSid
 *       ({@link VerifyCodes}); verify-totp-challenge: a TOTP challenge approved, on the factors file
 *       enrol-verify-totp wrote ({@link VerifyTotpChallenges});</li>
 *   <li>hold ({@link Hold}); warmup, unreported ({@link WarmUp}).</li>
 * </ul>
 */
final class Scenarios {
  private final Map<String, Scenario> byName = new HashMap<>();
  private final WarmUp warmUp;

  @FunctionalInterface
  private interface Scenario {
    void run() throws Exception;
  }

  Scenarios(Driver driver) {
    PlainCalls plain = new PlainCalls(driver);
    TotpEnrolment totp = new TotpEnrolment(driver);
    RegisterTotpRpc rpc = new RegisterTotpRpc(driver);
    SignIns signIns = new SignIns(driver);
    WebAuthnSignIns webAuthn = new WebAuthnSignIns(driver);
    VerifyCodes verify = new VerifyCodes(driver);
    VerifyTotpChallenges challenges = new VerifyTotpChallenges(driver);
    warmUp = new WarmUp(driver, plain, totp);
    byName.put("healthz", () -> driver.measured("healthz", plain.healthz()));
    byName.put("get-user", () -> driver.measured("get-user", plain.getUser()));
    byName.put("add-otp-email", () -> driver.measured("add-otp-email", plain.addOtpEmail("b")));
    byName.put("totp", totp::totp);
    byName.put("verify-totp", totp::verifyTotp);
    byName.put("register-totp-rest", () -> driver.measured("register-totp-rest", rpc.rest()));
    byName.put("register-totp-connect", () -> driver.measured("register-totp-connect", rpc.connect()));
    byName.put("register-totp-grpc", () -> driver.measured("register-totp-grpc", rpc.grpc()));
    byName.put("sign-in", () -> driver.measured("sign-in", signIns::byTotp));
    byName.put("sign-in-email", () -> driver.measured("sign-in-email", signIns::byEmail));
    byName.put("sign-in-sms", () -> {
      driver.smsSink(); // started before the requests, off the event loop
      driver.measured("sign-in-sms", signIns::bySms);
    });
    byName.put("sign-in-webauthn", () -> driver.measured("sign-in-webauthn", webAuthn::signIn));
    byName.put("verify", () -> driver.measured("verify", verify.createAndCheck(false)));
    byName.put("verify-by-sid", () -> driver.measured("verify-by-sid", verify.createAndCheck(true)));
    byName.put("verify-totp-challenge", () -> driver.measured("verify-totp-challenge", challenges.challenge()));
    byName.put("hold", () -> new Hold(driver).run());
    byName.put("warmup", warmUp::scenario);
  }

  /** The client's own warm-up, before anything is measured ({@link WarmUp#client}). */
  void warmClient() throws Exception {
    warmUp.client();
  }

  void run(String name) throws Exception {
    Scenario scenario = byName.get(name);
    if (scenario == null) {
      throw new IllegalArgumentException("unknown scenario " + name);
    }
    scenario.run();
  }
}
