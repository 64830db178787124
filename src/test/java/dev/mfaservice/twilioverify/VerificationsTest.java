package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.Service;
import com.twilio.rest.verify.v2.service.Verification;
import com.twilio.rest.verify.v2.service.VerificationCheck;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.TwilioVerifyClient;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Verifications and VerificationCheck (channel sms) through twilio-java's own classes against the running service; the
 * SMS read where the service sends them (a Twilio-speaking server).
 */
class VerificationsTest {
  static final String CODE = "(\\d{6})";
  static FakeTwilio twilio;
  static TestServer server;
  static TwilioRestClient client;
  static String service;
  static String accountSid;
  static String authToken;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    Map<String, String> env = new HashMap<>(twilio.env());
    env.put("MFA_SMS_ALLOWED_COUNTRY_CODES", "41,49");
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    // the send limits are VerifySendLimitsTest's: here every number shares one prefix and numbers are sent to again at
    // once, and twilio-java's HTTP client waits out a 429's Retry-After (up to an hour) before its one retry
    env.put("MFA_LIMITS_SMS_PER_PREFIX_PER_HOUR", "1000");
    env.put("MFA_LIMITS_PER_ADDRESS_INTERVAL_SECONDS", "0");
    server = TestServer.start(VerificationsTest.class, env, Clock.systemUTC());
    String org = server.createOrg("Verify SMS Org");
    JsonObject credential = server.http.post("/v2/organizations/" + org + "/twilio_credentials", server.adminToken(),
      new JsonObject()).json();
    accountSid = credential.getString("accountSid");
    authToken = credential.getString("authToken");
    client = TwilioVerifyClient.of(server.config.http().port(), accountSid, authToken);
    service = Service.creator("Acme").create(client).getSid();
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static Verification send(String to) {
    return Verification.creator(service, to, "sms").create(client);
  }

  static String smsCode(String to, int count) {
    return FakeTwilio.code(twilio.await(to, count, 10_000).get(count - 1), CODE);
  }

  static VerificationCheck check(String to, String code) {
    return VerificationCheck.creator(service).setTo(to).setCode(code).create(client);
  }

  static int error(Executable call) {
    return assertThrows(ApiException.class, call).getCode();
  }

  @Test
  void aCodeIsSentAgainUnderTheSameVerificationThenTheSixthSendIsRefused() {
    String to = "+41791110001";
    Verification first = send(to);
    assertTrue(first.getSid().matches("VE[0-9a-f]{32}"), first.getSid());
    assertEquals("pending", first.getStatus());
    assertFalse(first.getValid());
    assertEquals(to, first.getTo());
    assertEquals(Verification.Channel.SMS, first.getChannel());
    assertEquals(1, first.getSendCodeAttempts().size());
    assertTrue(String.valueOf(first.getSendCodeAttempts().get(0)).contains("attempt_sid=VL"), first.getSendCodeAttempts().toString());
    assertEquals(Map.of(), first.getLookup());
    assertNull(first.getAmount());
    String code = smsCode(to, 1);
    // the Service's name in the message, in the language of the number's country (Switzerland: German)
    assertEquals("Ihr Acme-Bestätigungscode lautet: " + code, twilio.to(to).get(0).body());

    Verification again = send(to);
    assertEquals(first.getSid(), again.getSid());
    assertEquals("pending", again.getStatus());
    assertEquals(2, again.getSendCodeAttempts().size());
    assertEquals(code, smsCode(to, 2), "the same code sent again");
    for (int i = 3; i <= 5; i++) {
      assertEquals(i, send(to).getSendCodeAttempts().size());
    }
    assertEquals(60203, error(() -> send(to)));
    assertEquals(first.getSid(), Verification.fetcher(service, first.getSid()).fetch(client).getSid());
  }

  @Test
  void wrongCodesArePendingTheRightOneApprovesOnce() {
    String to = "+41791110002";
    Verification started = send(to);
    String code = smsCode(to, 1);
    String wrong = code.equals("000000") ? "111111" : "000000";
    VerificationCheck miss = check(to, wrong);
    assertEquals("pending", miss.getStatus());
    assertFalse(miss.getValid());
    VerificationCheck hit = VerificationCheck.creator(service).setVerificationSid(started.getSid()).setCode(code).create(client);
    assertEquals("approved", hit.getStatus());
    assertTrue(hit.getValid());
    assertEquals(started.getSid(), hit.getSid());
    assertEquals(20404, error(() -> check(to, code)), "single use");
    assertEquals(20404, error(() -> Verification.fetcher(service, started.getSid()).fetch(client)));
    for (String type : new String[] {"started", "check_failed", "approved"}) {
      assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '"
        + started.getSid() + "' and event_type = 'verify.verification." + type + "'"), type);
    }
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from verify_verifications where sid = '"
      + started.getSid() + "' and code_sealed is not null"), "no code kept once approved");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '"
      + started.getSid() + "' and payload::text like '%" + code + "%'"), "no code in the events");
  }


  @Test
  void theFifthWrongCodeEndsTheVerification() {
    String to = "+41791110003";
    Verification started = send(to);
    String code = smsCode(to, 1);
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 1; i <= 4; i++) {
      assertEquals("pending", check(to, wrong).getStatus());
    }
    assertEquals(60202, error(() -> check(to, wrong)));
    assertEquals(60202, error(() -> check(to, code)), "max_attempts_reached: the right code is too late");
    assertEquals(20404, error(() -> Verification.fetcher(service, started.getSid()).fetch(client)));
  }

  @Test
  void cancelAndApproveByUpdate() {
    Verification canceled = Verification.updater(service, send("+41791110004").getSid(), Verification.Status.CANCELED)
      .update(client);
    assertEquals("canceled", canceled.getStatus());
    assertEquals(20404, error(() -> check("+41791110004", "123456")));
    Verification approved = Verification.updater(service, send("+41791110005").getSid(), Verification.Status.APPROVED)
      .update(client);
    assertEquals("approved", approved.getStatus());
    assertTrue(approved.getValid());
  }

  @Test
  void anEmailVerificationIsStartedAndCheckedByItsSid() {
    Verification started = Verification.creator(service, "ada@acme.test", "email").create(client);
    assertEquals(Verification.Channel.EMAIL, started.getChannel());
    assertEquals("pending", started.getStatus());
    assertEquals("pending", VerificationCheck.creator(service).setVerificationSid(started.getSid()).setCode("0000")
      .create(client).getStatus());
    assertEquals(60200, error(() -> Verification.creator(service, "ada", "email").create(client)), "To not an email");
  }

  @Test
  void refusalsAreTwilios() {
    ApiException badTo = assertThrows(ApiException.class, () -> send("0791110006"));
    assertEquals(60200, badTo.getCode(), "To not E.164");
    assertEquals("Invalid parameter: To", badTo.getMessage());
    assertEquals(60223, error(() -> Verification.creator(service, "+41791110006", "call").create(client)));
    assertEquals(60223, error(() -> Verification.creator(service, "+41791110006", "whatsapp").create(client)));
    assertEquals(60200, error(() -> Verification.creator(service, "+41791110006", "pigeon").create(client)));
    assertEquals(60221, error(() -> VerificationCheck.creator(service).setCode("123456").create(client)));
    assertEquals(20404, error(() -> check("+41791110006", "123456")), "nothing pending");
  }

  @Test
  void ofTwentyParallelChecksWithTheRightCodeOneApproves() throws Exception {
    String to = "+41791110007";
    Verification started = send(to);
    String code = smsCode(to, 1);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(() -> outcome(() -> VerificationCheck.creator(service).setVerificationSid(started.getSid()).setCode(code)
          .create(client).getStatus()));
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : pool.invokeAll(calls)) {
        outcomes.add(f.get());
      }
      assertEquals(1, outcomes.stream().filter("approved"::equals).count(), outcomes.toString());
      assertEquals(19, outcomes.stream().filter("20404"::equals).count(), outcomes.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  private static String outcome(Supplier<String> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      return String.valueOf(e.getCode());
    }
  }
}
