package dev.mfaservice.notify;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Await;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SEC O10: the user hears of every factor added or removed and of a lock, through the outbox,
 * by email to the verified contact email, else SMS to the verified phone; never with a code or secret.
 */
class FactorNoticesTest {
  static final String EN_TIME = "on \\d{1,2} \\S+ \\d{4}, \\d{2}:\\d{2} UTC";
  static Mailbox mail;
  static FakeTwilio twilio;
  static TestServer server;
  static String org;
  static String admin;

  @BeforeAll
  static void start() {
    mail = Mailbox.start();
    twilio = FakeTwilio.start();
    server = TestServer.start(FactorNoticesTest.class, env(), Clock.systemUTC());
    admin = server.adminToken();
    org = server.createOrg("Notice Org");
    for (String type : List.of("SECOND_FACTOR_TYPE_OTP_EMAIL", "SECOND_FACTOR_TYPE_OTP_SMS")) {
      assertEquals(200, server.http.post("/admin/v1/policies/login/second_factors", admin,
        new JsonObject().put("type", type)).status());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
    mail.close();
  }

  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>(mail.env());
    env.putAll(twilio.env());
    env.put("MFA_PHONE_DEFAULT_REGION", "CH");
    env.put("MFA_SMS_ALLOWED_COUNTRY_CODES", "41,49");
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    env.put("MFA_NOTIFY_BACKOFF_BASE_MILLIS", "100");
    env.put("MFA_NOTIFY_BACKOFF_MAX_MILLIS", "500");
    return env;
  }

  @Test
  void totpAddedAndRemovedMailTheContactInGermanWithoutTheSecret() {
    String user = human(server, org, "anna", "anna@acme.test", null, "de");
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    String right = Rfc6238.code(secret, System.currentTimeMillis() / 1000);
    String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
    assertError(server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", wrong)),
      400, 3, "EVENT-8isk2");
    assertEquals(0, notices(server, user), "a failed change queues no notice");

    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", right)).status());
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
      + "' and template = 'notice_factor_added' and recipient = 'anna@acme.test' and language = 'de'"),
      "the row is committed with the change");
    MimeMessage added = mail.await("anna@acme.test", 1, 10_000).get(0);
    assertEquals("mfa-service: Ihrem Konto wurde eine Anmeldemethode hinzugefügt", Mailbox.subject(added));
    String text = Mailbox.text(added);
    assertTrue(text.matches("(?s)Ihrem mfa-service-Konto wurde eine neue Anmeldemethode hinzugefügt: "
      + "eine Authenticator-App \\(TOTP\\), am \\d{1,2}\\. \\S+ \\d{4}, \\d{2}:\\d{2} UTC\\..*"), text);
    assertTrue(Mailbox.html(added).contains("<strong>eine Authenticator-App (TOTP)</strong>"), Mailbox.html(added));
    assertSecretFree(added, secret, right);

    assertEquals(200, server.http.delete("/v2/users/" + user + "/totp", admin).status());
    MimeMessage removed = mail.await("anna@acme.test", 2, 10_000).get(1);
    assertEquals("mfa-service: eine Anmeldemethode wurde aus Ihrem Konto entfernt", Mailbox.subject(removed));
    assertTrue(Mailbox.text(removed).startsWith("Aus Ihrem mfa-service-Konto wurde eine Anmeldemethode entfernt: "
      + "eine Authenticator-App (TOTP), am "), Mailbox.text(removed));
    assertSecretFree(removed, secret, right);
    assertEquals(2, mail.to("anna@acme.test").size());
  }

  @Test
  void recoveryCodesGeneratedAndRemovedMailTheContactWithoutTheCodes() {
    assertEquals(200, server.http.post("/admin/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_RECOVERY_CODES")).status());
    try {
      String user = human(server, org, "rita", "rita@acme.test", null, "en");
      Reply generated = server.http.post("/v2/users/" + user + "/recovery_codes", admin, new JsonObject().put("count", 3));
      assertEquals(200, generated.status(), generated.text());
      String[] codes = generated.json().getJsonArray("recoveryCodes").stream().map(String.class::cast).toArray(String[]::new);
      MimeMessage added = mail.await("rita@acme.test", 1, 10_000).get(0);
      assertTrue(Mailbox.text(added).startsWith("A new sign-in method was added to your mfa-service account: recovery codes, on "),
        Mailbox.text(added));
      assertSecretFree(added, codes);
      assertEquals(200, server.http.delete("/v2/users/" + user + "/recovery_codes", admin).status());
      MimeMessage removed = mail.await("rita@acme.test", 2, 10_000).get(1);
      assertTrue(Mailbox.text(removed).startsWith("A sign-in method was removed from your mfa-service account: recovery codes, on "),
        Mailbox.text(removed));
      assertSecretFree(removed, codes);
    } finally {
      assertEquals(200, server.http.delete("/admin/v1/policies/login/second_factors/SECOND_FACTOR_TYPE_RECOVERY_CODES", admin).status());
    }
  }

  @Test
  void otpSmsAuthenticatorAddedAndRemovedMailTheContactWithoutCodeOrNumber() {
    String user = human(server, org, "sam", "sam@acme.test", null, "en");
    Reply added = server.http.post("/v3alpha/users/" + user + "/otp_sms", admin, new JsonObject()
      .put("phone", new JsonObject().put("number", "+41 79 123 45 67").put("returnCode", new JsonObject())));
    assertEquals(200, added.status(), added.text());
    String id = added.json().getString("otpSmsId");
    String code = added.json().getString("verificationCode");
    assertEquals(0, notices(server, user), "a pending authenticator is not a factor yet");
    assertError(server.http.post("/v3alpha/users/" + user + "/otp_sms/" + id + "/verify", admin,
      new JsonObject().put("code", "ZZZZZ9")), 400, 3, "CODE-woT0xc");
    assertEquals(0, notices(server, user), "a wrong code queues no notice");

    assertEquals(200, server.http.post("/v3alpha/users/" + user + "/otp_sms/" + id + "/verify", admin,
      new JsonObject().put("code", code)).status());
    MimeMessage notice = mail.await("sam@acme.test", 1, 10_000).get(0);
    assertEquals("mfa-service: a sign-in method was added to your account", Mailbox.subject(notice));
    assertTrue(Mailbox.text(notice).matches("(?s)A new sign-in method was added to your mfa-service account: "
      + "one-time codes by SMS, " + EN_TIME + "\\.\\s+If this was you, there is nothing to do\\..*"), Mailbox.text(notice));
    assertSecretFree(notice, code, "+41791234567", "1234567");

    assertEquals(200, server.http.delete("/v3alpha/users/" + user + "/otp_sms/" + id, admin).status());
    MimeMessage removed = mail.await("sam@acme.test", 2, 10_000).get(1);
    assertEquals("mfa-service: a sign-in method was removed from your account", Mailbox.subject(removed));
    assertTrue(Mailbox.text(removed).startsWith("A sign-in method was removed from your mfa-service account: "
      + "one-time codes by SMS, on "), Mailbox.text(removed));
    assertSecretFree(removed, code, "+41791234567");
    assertEquals(List.of(), twilio.to("+41791234567"), "returnCode sends nothing; notices go to the contact");
  }

  /**
   * The notice goes to the contact address the account already proved, never to the new
   * authenticator's own address: whoever added the factor chose that one.
   */
  @Test
  void otpEmailAuthenticatorAddedNotifiesTheContactNotTheNewAddress() {
    String user = human(server, org, "olga", "olga@acme.test", null, "en");
    assertEquals(200, server.http.post("/v3alpha/users/" + user + "/otp_email", admin, new JsonObject()
      .put("email", new JsonObject().put("address", "elsewhere@acme.test").put("isVerified", true))).status());
    MimeMessage notice = mail.await("olga@acme.test", 1, 10_000).get(0);
    assertEquals("mfa-service: a sign-in method was added to your account", Mailbox.subject(notice));
    assertTrue(Mailbox.text(notice).contains("account: one-time codes by email, on "), Mailbox.text(notice));
    assertSecretFree(notice, "elsewhere");
    assertEquals(List.of(), mail.to("elsewhere@acme.test"));

    assertEquals(200, server.http.post("/v2/users/" + user + "/otp_email", admin, new JsonObject()).status(),
      "v2 AddOTPEmail on the contact address");
    assertEquals(2, mail.await("olga@acme.test", 2, 10_000).size());
    assertEquals(200, server.http.delete("/v2/users/" + user + "/otp_email", admin).status());
    MimeMessage removed = mail.await("olga@acme.test", 3, 10_000).get(2);
    assertEquals("mfa-service: a sign-in method was removed from your account", Mailbox.subject(removed));
  }

  @Test
  void aUserLockedByFailedSessionChecksGetsOneNotice() {
    String strict = server.createOrg("Notice Lockout Org");
    assertEquals(200, server.http.call("POST", "/management/v1/policies/lockout", admin,
      new JsonObject().put("maxOtpAttempts", 1), Map.of("x-zitadel-orgid", strict)).status());
    String user = human(server, strict, "lena", "lena@acme.test", null, "en");
    String secret = enrolTotp(user);
    mail.await("lena@acme.test", 1, 10_000);
    String right = Rfc6238.code(secret, System.currentTimeMillis() / 1000 + 30);
    String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
    for (int i = 0; i < 2; i++) {
      assertError(server.http.post("/v2/sessions", admin, new JsonObject().put("checks", new JsonObject()
        .put("user", new JsonObject().put("userId", user)).put("totp", new JsonObject().put("code", wrong)))),
        400, 9, "COMMAND-Locked");
    }
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
      + "' and template = 'notice_locked'"), "one notice, though checked twice");
    MimeMessage locked = mail.await("lena@acme.test", 2, 10_000).get(1);
    assertEquals("mfa-service: your account was locked", Mailbox.subject(locked));
    assertTrue(Mailbox.text(locked).matches("(?s)Your mfa-service account was locked " + EN_TIME
      + " after too many wrong codes\\..*An administrator can unlock it\\..*"), Mailbox.text(locked));
    assertSecretFree(locked, secret, wrong);
  }

  @Test
  void aUserWithOnlyAVerifiedPhoneGetsAnSms() {
    String user = human(server, org, "phoebe", null, "+41797000001", "en");
    String secret = enrolTotp(user);
    FakeTwilio.Sent sms = twilio.await("+41797000001", 1, 10_000).get(0);
    assertTrue(sms.body().matches("mfa-service: an authenticator app \\(TOTP\\) was added to your account on "
      + "\\d{1,2} \\S+ \\d{4}, \\d{2}:\\d{2} UTC\\. Not you\\? Contact your administrator\\."), sms.body());
    assertFalse(sms.body().contains(secret));
  }

  @Test
  void aUserWithoutAVerifiedContactGetsNothingAndTheChangeSucceeds() {
    String user = human(server, org, "nobody", null, null, "en");
    enrolTotp(user);
    assertEquals(200, server.http.delete("/v2/users/" + user + "/totp", admin).status());
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user + "'"));
    assertEquals(2, TestDatabases.count(server.database, "select count(*) from events where event_type = 'notification.skipped'"
      + " and payload->>'userId' = '" + user + "'"), "the skipped notices are recorded");
  }

  @Test
  void aNoticeIsNotCountedAgainstTheCodeLimits() {
    String user = human(server, org, "busy", "busy@acme.test", null, "en");
    enrolTotp(user);
    mail.await("busy@acme.test", 1, 10_000);
    Reply code = server.http.post("/v3alpha/users/" + user + "/otp_email", admin, new JsonObject()
      .put("email", new JsonObject().put("address", "busy@acme.test")));
    assertEquals(200, code.status(), "a code to the same address moments after a notice: " + code.text());
  }

  @Test
  void switchedOffPerInstanceNothingIsQueued() {
    Map<String, String> env = env();
    env.put("MFA_NOTIFY_FACTOR_CHANGES", "false");
    try (Closing quiet = new Closing(TestServer.start(FactorNoticesTest.class, env, Clock.systemUTC()))) {
      String other = quiet.server.createOrg("Quiet Org");
      String admin = quiet.server.adminToken();
      String user = human(quiet.server, other, "quiet", "quiet@acme.test", "+41797000002", "en");
      String secret = quiet.server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
      assertEquals(200, quiet.server.http.post("/v2/users/" + user + "/totp/verify", admin,
        new JsonObject().put("code", Rfc6238.code(secret, System.currentTimeMillis() / 1000))).status());
      assertEquals(200, quiet.server.http.delete("/v2/users/" + user + "/totp", admin).status());
      assertEquals(0, TestDatabases.count(quiet.server.database, "select count(*) from outbox"));
      assertEquals(0, TestDatabases.count(quiet.server.database,
        "select count(*) from events where aggregate_type = 'notification'"));
    }
  }

  private record Closing(TestServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }

  static String human(TestServer on, String orgId, String username, String email, String phone, String language) {
    JsonObject body = new JsonObject().put("organization", new JsonObject().put("orgId", orgId)).put("username", username)
      .put("profile", new JsonObject().put("givenName", "Given").put("familyName", "Family").put("preferredLanguage", language));
    if (email != null) {
      body.put("email", new JsonObject().put("email", email).put("isVerified", true));
    }
    if (phone != null) {
      body.put("phone", new JsonObject().put("phone", phone).put("isVerified", true));
    }
    Reply created = on.http.post("/v2/users/human", on.adminToken(), body);
    assertEquals(201, created.status(), created.text());
    return created.json().getString("userId");
  }

  static String enrolTotp(String user) {
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin,
      new JsonObject().put("code", Rfc6238.code(secret, System.currentTimeMillis() / 1000))).status());
    return secret;
  }

  static long notices(TestServer on, String user) {
    return TestDatabases.count(on.database, "select count(*) from outbox where user_id = '" + user + "' and template like 'notice%'");
  }

  static void assertSecretFree(MimeMessage message, String... secrets) {
    String all = Mailbox.subject(message) + "\n" + Mailbox.text(message) + "\n" + Mailbox.html(message);
    for (String secret : secrets) {
      assertFalse(all.contains(secret), "'" + secret + "' in the notice: " + all);
    }
  }
}
