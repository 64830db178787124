package dev.mfaservice.otp;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.notify.Channels;
import dev.mfaservice.support.Await;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OTP SMS end to end: twilio-java talking to a local server that speaks Twilio's Messages API,
 * real PostgreSQL, the shared outbox and worker. Default region CH; SMS allowed to +41 and +49.
 */
class OtpSmsApiTest {
  static final String CODE = "^([A-Z0-9]{6}) is your";
  static FakeTwilio twilio;
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    Map<String, String> env = new HashMap<>(twilio.env());
    env.put("MFA_PHONE_DEFAULT_REGION", "CH");
    env.put("MFA_SMS_ALLOWED_COUNTRY_CODES", "41,49");
    env.put("MFA_LIMITS_PER_USER_PER_HOUR", "4");
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    env.put("MFA_NOTIFY_BACKOFF_BASE_MILLIS", "100");
    env.put("MFA_NOTIFY_BACKOFF_MAX_MILLIS", "400");
    server = TestServer.start(OtpSmsApiTest.class, env, Clock.systemUTC());
    admin = server.adminToken();
    org = server.createOrg("Sms Org");
    assertEquals(200, server.http.post("/admin/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_SMS")).status());
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  @Test
  void sendCodeSmsThroughTwilioVerifiesTheAuthenticator() {
    String user = server.createUser(org, "texter");
    Reply added = add(user, "+41 79 123 45 67", null);
    assertEquals(200, added.status(), added.text());
    assertNull(added.json().getValue("verificationCode"));
    FakeTwilio.Sent sms = twilio.await("+41791234567", 1, 10_000).get(0);
    assertEquals(FakeTwilio.FROM, sms.from());
    assertEquals("Basic " + Base64.getEncoder().encodeToString((FakeTwilio.ACCOUNT + ":" + FakeTwilio.TOKEN)
      .getBytes(StandardCharsets.UTF_8)), sms.authorization());
    assertTrue(sms.body().endsWith("is your mfa-service verification code."), sms.body());
    assertTrue(!sms.body().contains("http"), "no link in an SMS (SEC O9)");
    Reply verified = verify(user, added.json().getString("otpSmsId"), FakeTwilio.code(sms, CODE));
    assertEquals(200, verified.status(), verified.text());
    assertEquals(List.of("AUTHENTICATION_METHOD_TYPE_OTP_SMS"), methods(user));
    Reply mine = server.http.post("/auth/v1/users/me/auth_factors/_search", server.token(user, org), new JsonObject());
    assertEquals(new JsonObject().put("state", "AUTH_FACTOR_STATE_READY").put("otpSms", new JsonObject()),
      mine.json().getJsonArray("result").getJsonObject(0));
  }

  @Test
  void returnCodeSendsNothingAndIsVerifiedIsReadyAtOnce() {
    String user = server.createUser(org, "quiet");
    Reply returned = add(user, "+41 79 555 00 11", new JsonObject().put("returnCode", new JsonObject()));
    assertEquals(200, returned.status(), returned.text());
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user + "'"));
    assertEquals(200, verify(user, returned.json().getString("otpSmsId"), returned.json().getString("verificationCode")).status());
    assertEquals(200, add(user, "+49 151 23456789", new JsonObject().put("isVerified", true)).status());
    assertEquals(0, twilio.to("+41795550011").size() + twilio.to("+4915123456789").size());
  }

  @Test
  void numbersAreNormalisedToE164() {
    String user = server.createUser(org, "normal");
    Reply first = add(user, "+41 79 765 43 21", new JsonObject().put("isVerified", true));
    assertEquals(200, first.status(), first.text());
    assertError(add(user, "0041797654321", new JsonObject().put("isVerified", true)), 409, 6, "OTP-smsExists");
    assertError(add(user, "079 765 43 21", new JsonObject().put("isVerified", true)), 409, 6, "OTP-smsExists");
    for (String junk : new String[] {"abc", "+41 12", "+41 79 123 45 67 89 0"}) {
      Reply r = add(user, junk, new JsonObject().put("isVerified", true));
      assertError(r, 400, 3, junk.length() > 20 ? "API-validation" : "API-phone");
      assertTrue(r.json().getString("message").contains("phone.number"), r.text());
    }
    Reply tooLong = add(user, "+4179123456789012345", new JsonObject().put("isVerified", true));
    assertEquals(400, tooLong.status(), "20 characters pass the schema, then fail libphonenumber");
    Reply twentyOne = add(user, "+41791234567890123456", new JsonObject().put("isVerified", true));
    assertError(twentyOne, 400, 3, "API-validation");
    assertTrue(twentyOne.text().contains("(maxLength)"), twentyOne.text());

    Reply contact = server.http.post("/v2/users/" + user + "/phone", admin,
      new JsonObject().put("phone", "079 111 22 33").put("isVerified", true));
    assertEquals(200, contact.status(), contact.text());
    assertEquals("+41791112233", server.http.get("/v2/users/" + user, admin).json().getJsonObject("user")
      .getJsonObject("human").getJsonObject("phone").getString("phone"));
  }

  @Test
  void countriesOutsideTheAllowListArePremiumRateNumbersAreRefused() {
    String user = server.createUser(org, "traveller");
    Reply france = add(user, "+33 6 12 34 56 78", null);
    assertError(france, 400, 3, "API-phone");
    assertTrue(france.json().getString("message").contains("+33"), france.text());
    Reply premium = add(user, "+41 900 123 456", null);
    assertError(premium, 400, 3, "API-phone");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user + "'"));
  }

  @Test
  void twilio500ThenSuccessSendsExactlyOnce() {
    twilio.failNext("+41793000001", 500, 20500);
    String user = server.createUser(org, "retried");
    assertEquals(200, add(user, "+41 79 300 00 01", null).status());
    twilio.await("+41793000001", 2, 10_000);
    // twilio-java itself retries a 5xx once more before our worker sees it; either way it ends sent, once.
    Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
      + "' and status = 'sent'") == 1, "sent after the 500");
    assertEquals(2, twilio.to("+41793000001").size(), "one failed request, one that succeeded");
  }

  @Test
  void twilio400InvalidNumberEndsAsFailedAndIsReported() {
    twilio.failNext("+41793000002", 400, 21211);
    String user = server.createUser(org, "invalid");
    assertEquals(200, add(user, "+41 79 300 00 02", null).status());
    Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
      + "' and status = 'failed' and last_error like '%21211%' and payload_sealed is null") == 1, "failed with 21211");
    assertEquals(1, twilio.to("+41793000002").size(), "not retried");
    Reply events = server.http.post("/admin/v1/events/_search", admin, new JsonObject()
      .put("eventTypes", new JsonArray().add("notification.failed")).put("resourceOwner", org));
    assertTrue(events.text().contains("21211"), events.text());
  }

  @Test
  void aLostWakeUpAfterCommitIsStillSentOnce() {
    Handler<DeliveryContext<Object>> drop = ctx -> {
      if (!ctx.message().address().equals(Channels.address(Channels.SMS))) {
        ctx.next();
      }
    };
    server.app.vertx().eventBus().addOutboundInterceptor(drop);
    try {
      String user = server.createUser(org, "swept");
      assertEquals(200, add(user, "+41 79 300 00 03", null).status());
      twilio.await("+41793000003", 1, 10_000);
      Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
        + "' and status = 'sent'") == 1, "sent by the sweeper");
      assertEquals(1, twilio.to("+41793000003").size());
    } finally {
      server.app.vertx().eventBus().removeOutboundInterceptor(drop);
    }
  }

  @Test
  void sendingIsLimitedPerNumberAndPerUser() {
    String user = server.createUser(org, "pumper");
    assertEquals(200, server.http.post("/v2/users/" + user + "/phone", admin, new JsonObject().put("phone", "+41 79 400 00 00")).status());
    Reply again = server.http.post("/v2/users/" + user + "/phone/resend", admin, new JsonObject());
    assertError(again, 429, 8, "NOTIFY-rateLimited");
    assertTrue(again.raw().headers().firstValue("Retry-After").isPresent());
    for (int i = 1; i <= 3; i++) {
      assertEquals(200, add(user, "+41 79 400 00 0" + i, null).status(), "send " + (i + 1) + " of 4 this hour");
    }
    Reply fifth = add(user, "+41 79 400 00 09", null);
    assertError(fifth, 429, 8, "NOTIFY-rateLimited");
    assertTrue(fifth.json().getString("message").contains("for this user"), fifth.text());
  }

  @Test
  void contactPhoneThenOtpSmsOnIt() {
    String user = server.createUser(org, "caller");
    String base = "/v2/users/" + user;
    assertError(server.http.post(base + "/otp_sms", admin, new JsonObject()), 400, 9, "COMMAND-Q54j2");
    assertEquals(200, server.http.post(base + "/phone", admin, new JsonObject().put("phone", "+41 79 500 00 00")).status());
    String code = FakeTwilio.code(twilio.await("+41795000000", 1, 10_000).get(0), CODE);
    assertEquals(200, server.http.post(base + "/phone/verify", admin, new JsonObject().put("verificationCode", code)).status());
    assertEquals(200, server.http.post(base + "/otp_sms", admin, new JsonObject()).status());
    assertError(server.http.post(base + "/otp_sms", admin, new JsonObject()), 409, 6, "COMMAND-Ad3g2");
    assertEquals(List.of("AUTHENTICATION_METHOD_TYPE_OTP_SMS"), methods(user));
    assertEquals(200, server.http.delete(base + "/otp_sms", admin).status());
    assertError(server.http.delete(base + "/otp_sms", admin), 404, 5, "COMMAND-Hd9sd");

    String strict = server.createOrg("No Sms Org");
    assertEquals(200, server.http.delete("/management/v1/policies/login/second_factors/SECOND_FACTOR_TYPE_OTP_SMS",
      server.token("o", strict, "ORG_OWNER")).status());
    String other = server.createUser(strict, "refused");
    assertError(add(other, "+41 79 600 00 00", null), 400, 9, "POLICY-factorNotAllowed");
  }

  static Reply add(String user, String number, JsonObject choice) {
    JsonObject phone = choice == null ? new JsonObject() : choice.copy();
    return server.http.post("/v3alpha/users/" + user + "/otp_sms", admin, new JsonObject().put("phone", phone.put("number", number)));
  }

  static Reply verify(String user, String id, String code) {
    return server.http.post("/v3alpha/users/" + user + "/otp_sms/" + id + "/verify", admin, new JsonObject().put("code", code));
  }

  static List<Object> methods(String user) {
    return server.http.get("/v2/users/" + user + "/authentication_methods", admin).json().getJsonArray("authMethodTypes").getList();
  }
}
