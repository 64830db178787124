package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.Service;
import com.twilio.rest.verify.v2.service.Verification;
import com.twilio.rest.verify.v2.service.VerificationCheck;
import dev.mfaservice.support.Await;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.VerifyAccount;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one database, an app's calls spread over both (as a load balancer does): a verification started on
 * one is sent again, checked and ended on the other; its wrong checks add up across them; the send limits count
 * sends made through either; a credential removed on one is refused by the other within {@link VerifyAccounts#KEEP_MILLIS}.
 */
class VerifyReplicasTest {
  static FakeTwilio twilio;
  static TestServer a;
  static TestServer b;
  static TwilioRestClient onA;
  static TwilioRestClient onB;
  static String service;
  static VerifyAccount account;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    Map<String, String> env = new HashMap<>(twilio.env());
    env.put("MFA_SMS_ALLOWED_COUNTRY_CODES", "41");
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    a = TestServer.start(VerifyReplicasTest.class, env, Clock.systemUTC());
    // the same keys as a (its data directory): a code sealed on one is opened on the other
    env.put("MFA_DATA_DIR", a.config.dataDir().toString());
    b = TestServer.startOn(a.database, VerifyReplicasTest.class, env, Clock.systemUTC());
    account = VerifyAccount.of(a, "Verify Replicas Org");
    onA = account.client(a);
    onB = account.client(b);
    service = Service.creator("Replicated").create(onA).getSid();
  }

  @AfterAll
  static void stop() {
    b.stopKeepingDatabase();
    a.close();
    twilio.close();
  }

  static int error(Runnable call) {
    return assertThrows(ApiException.class, call::run).getCode();
  }

  @Test
  void oneVerificationAcrossBothReplicas() {
    String to = "+41791120001";
    Verification started = Verification.creator(service, to, "sms").create(onA);
    Verification again = Verification.creator(service, to, "sms").create(onB);
    assertEquals(started.getSid(), again.getSid(), "B sends A's verification again");
    assertEquals(2, again.getSendCodeAttempts().size());
    String code = FakeTwilio.code(twilio.await(to, 2, 10_000).get(0), "(\\d{6})");
    assertEquals(code, FakeTwilio.code(twilio.to(to).get(1), "(\\d{6})"), "the same code from both");
    assertEquals("pending", Verification.fetcher(service, started.getSid()).fetch(onB).getStatus());
    assertEquals("approved", VerificationCheck.creator(service).setTo(to).setCode(code).create(onB).getStatus());
    assertEquals(20404, error(() -> VerificationCheck.creator(service).setTo(to).setCode(code).create(onA)),
      "approved on B: gone on A");
  }

  @Test
  void wrongChecksAddUpAcrossReplicas() {
    String to = "+41791120002";
    Verification.creator(service, to, "sms").create(onB);
    String code = FakeTwilio.code(twilio.await(to, 1, 10_000).get(0), "(\\d{6})");
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (TwilioRestClient replica : new TwilioRestClient[] {onA, onB, onA, onB}) {
      assertEquals("pending", VerificationCheck.creator(service).setTo(to).setCode(wrong).create(replica).getStatus());
    }
    assertEquals(60202, error(() -> VerificationCheck.creator(service).setTo(to).setCode(wrong).create(onA)),
      "the fifth miss, two replicas: max attempts");
    assertEquals(60202, error(() -> VerificationCheck.creator(service).setTo(to).setCode(code).create(onB)));
  }

  @Test
  void theSendLimitsCountSendsThroughEitherReplica() throws Exception {
    String to = "+41791120003";
    String sid = Verification.creator(service, to, "sms").create(onA).getSid();
    twilio.await(to, 1, 10_000);
    Verification.updater(service, sid, Verification.Status.CANCELED).update(onA);
    // a new verification to the number at once, through B: the per-address interval (counted in PostgreSQL) refuses
    Http.Reply limited = account.post(b, "/v2/Services/" + service + "/Verifications", "To=%2B41791120003&Channel=sms");
    assertEquals(429, limited.status(), limited.text());
    assertEquals(20429, limited.json().getInteger("code"));
    Thread.sleep(1500);
    assertEquals(1, twilio.to(to).size(), "the refused verification sent nothing");
  }

  @Test
  void aCredentialRemovedOnOneReplicaIsRefusedByTheOtherWithinItsKeepTime() {
    String org = a.createOrg("Verify Replicas Removed");
    String credentials = "/v2/organizations/" + org + "/twilio_credentials";
    JsonObject added = a.http.post(credentials, a.adminToken(), new JsonObject()).json();
    VerifyAccount second = new VerifyAccount(added.getString("accountSid"), added.getString("authToken"));
    TwilioRestClient secondOnA = second.client(a);
    TwilioRestClient secondOnB = second.client(b);
    String own = Service.creator("Kept").create(secondOnB).getSid();
    assertEquals("Kept", Service.fetcher(own).fetch(secondOnA).getFriendlyName());
    assertEquals(200, a.http.delete(credentials + "/" + second.accountSid(), a.adminToken()).status());
    long removed = System.currentTimeMillis();
    assertEquals(20003, error(() -> Service.fetcher(own).fetch(secondOnA)), "refused at once where it was removed");
    Await.until(() -> {
      try {
        Service.fetcher(own).fetch(secondOnB);
        return false;
      } catch (ApiException e) {
        return e.getCode() == 20003;
      }
    }, "B refuses the removed credential");
    long took = System.currentTimeMillis() - removed;
    assertTrue(took <= VerifyAccounts.KEEP_MILLIS + 2_000, "refused by B after " + took + " ms");
  }
}
