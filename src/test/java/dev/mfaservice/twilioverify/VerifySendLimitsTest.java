package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.Service;
import com.twilio.rest.verify.v2.service.Verification;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.VerifyAccount;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A verification's first send counts against the instance's send limits (SEC B1, B2, against SMS pumping), with the
 * default limits: a new verification to a number sent to moments ago is refused 429 20429 with Retry-After and sends
 * nothing. Asked over plain HTTP: twilio-java's HTTP client would wait out Retry-After and retry by itself.
 */
class VerifySendLimitsTest {
  static FakeTwilio twilio;
  static TestServer server;
  static TwilioRestClient client;
  static String service;
  static VerifyAccount account;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    Map<String, String> env = new HashMap<>(twilio.env());
    env.put("MFA_SMS_ALLOWED_COUNTRY_CODES", "41");
    server = TestServer.start(VerifySendLimitsTest.class, env, Clock.systemUTC());
    account = VerifyAccount.of(server, "Verify Limits Org");
    client = account.client(server);
    service = Service.creator("Acme").create(client).getSid();
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  @Test
  void aNewVerificationToANumberJustSentToIsRefused429With20429() throws Exception {
    String sid = Verification.creator(service, "+41791110007", "sms").create(client).getSid();
    twilio.await("+41791110007", 1, 10_000);
    Verification.updater(service, sid, Verification.Status.CANCELED).update(client);
    Http.Reply limited = account.post(server, "/v2/Services/" + service + "/Verifications", "To=%2B41791110007&Channel=sms");
    assertEquals(429, limited.status(), limited.text());
    assertEquals(20429, limited.json().getInteger("code"));
    // the limit's own wait is the per-address interval (30 s); Verify's Retry-After is capped so that twilio-java's
    // HTTP client, which sleeps for it before its one retry, does not hold the app's thread that long
    long retryAfter = Long.parseLong(limited.raw().headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retryAfter >= 1 && retryAfter <= TwilioError.MAX_RETRY_AFTER_SECONDS, "Retry-After " + retryAfter);
    Thread.sleep(1500);
    assertEquals(1, twilio.to("+41791110007").size(), "the refused verification sent nothing");
  }
}
