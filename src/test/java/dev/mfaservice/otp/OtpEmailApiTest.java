package dev.mfaservice.otp;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mfaservice.support.Await;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.TestClock;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** OTP email and the contact email end to end: real SMTP (GreenMail), real PostgreSQL, the outbox and its worker. */
class OtpEmailApiTest {
  static final String CODE = "code is ([A-Z0-9]{6})";
  static final TestClock clock = new TestClock();
  static Mailbox mail;
  static TestServer server;
  static String org;
  static String admin;

  @BeforeAll
  static void start() {
    mail = Mailbox.start();
    server = TestServer.start(OtpEmailApiTest.class, env(mail), clock);
    admin = server.adminToken();
    org = server.createOrg("Mail Org");
    assertEquals(200, server.http.post("/admin/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_EMAIL")).status());
  }

  @AfterAll
  static void stop() {
    server.close();
    mail.close();
  }

  static Map<String, String> env(Mailbox box) {
    Map<String, String> env = new HashMap<>(box.env());
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    env.put("MFA_NOTIFY_BACKOFF_BASE_MILLIS", "100");
    env.put("MFA_NOTIFY_BACKOFF_MAX_MILLIS", "500");
    env.put("MFA_NOTIFY_LEASE_SECONDS", "5");
    return env;
  }

  @Test
  void sendCodeMailsACodeThatVerifiesTheAuthenticator() {
    String user = server.createUser(org, "mailer");
    Reply added = add(user, "mailer@acme.test", null);
    assertEquals(200, added.status(), added.text());
    String id = added.json().getString("otpEmailId");
    assertNull(added.json().getValue("verificationCode"), "sendCode returns no code");
    assertEquals("2", added.json().getJsonObject("details").getString("sequence"));

    MimeMessage message = mail.await("mailer@acme.test", 1, 10_000).get(0);
    assertEquals("mfa-service: your verification code", Mailbox.subject(message));
    String code = Mailbox.find(message, CODE);
    assertTrue(Mailbox.html(message).contains("<strong>" + code + "</strong>"));
    assertEquals(List.of(), methods(user));
    Reply verified = server.http.post(path(user) + "/" + id + "/verify", admin, new JsonObject().put("code", code));
    assertEquals(200, verified.status(), verified.text());
    assertEquals(List.of("AUTHENTICATION_METHOD_TYPE_OTP_EMAIL"), methods(user));
    assertError(server.http.post(path(user) + "/" + id + "/verify", admin, new JsonObject().put("code", code)),
      400, 9, "OTP-alreadyVerified");
    Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
      + "' and status = 'sent' and payload_sealed is null") == 1, "sent and wiped");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_type = 'notification' "
      + "and event_type = 'notification.sent' and aggregate_id in (select id from outbox where user_id = '" + user + "')"));

    Reply removed = server.http.delete(path(user) + "/" + id, admin);
    assertEquals(200, removed.status());
    assertError(server.http.delete(path(user) + "/" + id, admin), 404, 5, "OTP-notFound");
    assertEquals(List.of(), methods(user));
  }

  @Test
  void aUrlTemplateBecomesALinkWithEncodedValues() {
    String user = server.createUser(org, "linker");
    String template = "https://example.com/verify?userID={{.UserID}}&code={{.Code}}&orgID={{.OrgID}}&n={{ .DisplayName }}";
    assertEquals(200, add(user, "linker@acme.test", new JsonObject().put("sendCode", new JsonObject().put("urlTemplate", template))).status());
    MimeMessage message = mail.await("linker@acme.test", 1, 10_000).get(0);
    String code = Mailbox.find(message, CODE);
    String link = "https://example.com/verify?userID=" + user + "&code=" + code + "&orgID=" + org + "&n=Given%20Family";
    assertTrue(Mailbox.text(message).contains("Or open this link: " + link), Mailbox.text(message));
    assertTrue(Mailbox.html(message).contains("href=\"" + link.replace("&", "&amp;") + "\""), Mailbox.html(message));
  }

  @Test
  void badTemplatesAndChoicesAreRefusedByField() {
    String user = server.createUser(org, "templater");
    String[] bad = {"https://x.test/{{.Password}}", "https://x.test/{{.Code", "https://x.test/{{template \"a\"}}",
      "ftp://x.test/{{.Code}}", "not a url {{.Code}}", "https://user:pw@x.test/{{.Code}}", "https://x.test/" + "a".repeat(200)};
    for (String template : bad) {
      Reply r = add(user, "t@acme.test", new JsonObject().put("sendCode", new JsonObject().put("urlTemplate", template)));
      assertEquals(400, r.status(), template + " → " + r.text());
      assertTrue(r.json().getString("message").contains("urlTemplate"), r.text());
    }
    Reply two = add(user, "t@acme.test", new JsonObject().put("returnCode", new JsonObject()).put("isVerified", true));
    assertError(two, 400, 3, "API-validation");
    assertError(add(user, "t@acme.test", new JsonObject().put("isVerified", false)), 400, 3, "API-validation");
    assertError(server.http.post(path(user), admin, new JsonObject().put("email", new JsonObject().put("address", "no-at-sign"))),
      400, 3, "API-validation");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from otp_authenticators where user_id = '" + user + "'"));
    assertEquals(0, mail.to("t@acme.test").size());
  }

  @Test
  void returnCodeSendsNothingAndIsVerifiedIsReadyAtOnceForManagersOnly() {
    String user = server.createUser(org, "returner");
    Reply returned = add(user, "returner@acme.test", new JsonObject().put("returnCode", new JsonObject()));
    assertEquals(200, returned.status(), returned.text());
    String code = returned.json().getString("verificationCode");
    assertTrue(code.matches("[A-Z0-9]{6}"), code);
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user + "'"));
    assertEquals(200, server.http.post(path(user) + "/" + returned.json().getString("otpEmailId") + "/verify", admin,
      new JsonObject().put("code", code.toLowerCase())).status(), "codes are case-insensitive");

    Reply ready = add(user, "ready@acme.test", new JsonObject().put("isVerified", true));
    assertEquals(200, ready.status());
    assertNull(ready.json().getValue("verificationCode"));

    String self = server.token(user, org);
    for (JsonObject choice : List.of(new JsonObject().put("returnCode", new JsonObject()), new JsonObject().put("isVerified", true))) {
      Reply r = server.http.post(path(user), self, new JsonObject().put("email", choice.copy().put("address", "mine@acme.test")));
      assertError(r, 403, 7, "AUTH-AWfge");
    }
    assertEquals(200, server.http.post(path(user), self, new JsonObject().put("email",
      new JsonObject().put("address", "mine@acme.test"))).status(), "the user may have a code sent to itself");
    assertError(add(user, "READY@acme.test", new JsonObject().put("isVerified", true)), 409, 6, "OTP-emailExists");
  }

  @Test
  void wrongExpiredAndExhaustedCodes() {
    String user = server.createUser(org, "guesser");
    Reply added = add(user, "guesser@acme.test", new JsonObject().put("returnCode", new JsonObject()));
    String id = added.json().getString("otpEmailId");
    String code = added.json().getString("verificationCode");
    String wrong = code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    for (int i = 0; i < 5; i++) {
      assertError(verify(user, id, wrong), 400, 3, "CODE-woT0xc");
    }
    assertError(verify(user, id, code), 400, 3, "CODE-woT0xc");
    assertEquals(5, TestDatabases.count(server.database, "select max(failed_attempts) from verification_codes where target_id = '" + id + "'"));

    Reply again = add(user, "late@acme.test", new JsonObject().put("returnCode", new JsonObject()));
    clock.advance(Duration.ofHours(2));
    assertError(verify(user, again.json().getString("otpEmailId"), again.json().getString("verificationCode")), 400, 9, "CODE-QvUQ4P");
    assertError(verify(user, "999", "ABCDEF"), 404, 5, "OTP-notFound");
  }

  @Test
  void wrongRegistrationCodesCountTowardsTheLockout() {
    String strict = server.createOrg("Mail Lockout Org");
    String owner = server.token("o", strict, "ORG_OWNER");
    assertEquals(200, server.http.post("/management/v1/policies/lockout", owner, new JsonObject().put("maxOtpAttempts", 2)).status());
    String user = server.createUser(strict, "mail-fumbler");
    Reply added = add(user, "fumbler@acme.test", new JsonObject().put("returnCode", new JsonObject()));
    String id = added.json().getString("otpEmailId");
    String code = added.json().getString("verificationCode");
    String wrong = code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA";
    assertError(verify(user, id, wrong), 400, 3, "CODE-woT0xc");
    assertError(verify(user, id, wrong), 400, 9, "COMMAND-Locked");
    assertError(verify(user, id, code), 400, 9, "COMMAND-Locked");
    assertEquals(200, server.http.post("/v2/users/" + user + "/unlock", admin, new JsonObject()).status());
    assertEquals(200, verify(user, id, code).status());
  }

  @Test
  void contactEmailThenOtpEmailOnIt() {
    String user = server.createUser(org, "contact");
    String base = "/v2/users/" + user;
    assertError(server.http.post(base + "/otp_email", admin, new JsonObject()), 400, 9, "COMMAND-KLJ2d");
    Reply set = server.http.post(base + "/email", admin, new JsonObject().put("email", "contact@acme.test"));
    assertEquals(200, set.status(), set.text());
    String code = Mailbox.find(mail.await("contact@acme.test", 1, 10_000).get(0), CODE);
    assertError(server.http.post(base + "/email/verify", admin, new JsonObject().put("verificationCode", "ZZZZZ9")), 400, 3, "CODE-woT0xc");
    assertEquals(200, server.http.post(base + "/email/verify", admin, new JsonObject().put("verificationCode", code)).status());
    assertTrue(server.http.get(base, admin).json().getJsonObject("user").getJsonObject("human").getJsonObject("email")
      .getBoolean("isVerified"));
    assertError(server.http.post(base + "/email/resend", admin, new JsonObject()), 400, 9, "COMMAND-emailVerified");

    assertEquals(200, server.http.post(base + "/otp_email", admin, new JsonObject()).status());
    assertError(server.http.post(base + "/otp_email", admin, new JsonObject()), 409, 6, "COMMAND-MKL2s");
    assertEquals(List.of("AUTHENTICATION_METHOD_TYPE_OTP_EMAIL"), methods(user));
    assertEquals(200, server.http.delete(base + "/otp_email", admin).status());
    assertError(server.http.delete(base + "/otp_email", admin), 404, 5, "COMMAND-Hd9sd");
  }

  @Test
  void sendingIsRateLimitedWithRetryAfter() {
    String user = server.createUser(org, "hasty");
    String base = "/v2/users/" + user;
    assertEquals(200, server.http.post(base + "/email", admin, new JsonObject().put("email", "hasty@acme.test")).status());
    Reply again = server.http.post(base + "/email/resend", admin, new JsonObject());
    assertError(again, 429, 8, "NOTIFY-rateLimited");
    long retryAfter = Long.parseLong(again.raw().headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter > 0 && retryAfter <= 31, "Retry-After " + retryAfter);
    Reply returned = server.http.post(base + "/email/resend", admin, new JsonObject().put("returnCode", new JsonObject()));
    assertEquals(200, returned.status(), "returning a code sends nothing, so no limit");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user + "'"));
  }

  @Test
  void thePolicyMustAllowOtpEmail() {
    String strict = server.createOrg("No Mail Org");
    String owner = server.token("owner", strict, "ORG_OWNER");
    assertEquals(200, server.http.delete("/management/v1/policies/login/second_factors/SECOND_FACTOR_TYPE_OTP_EMAIL", owner).status());
    String user = server.createUser(strict, "strict");
    Reply refused = server.http.post(path(user), admin, new JsonObject().put("email", new JsonObject().put("address", "s@acme.test")));
    assertError(refused, 400, 9, "POLICY-factorNotAllowed");
    assertTrue(refused.text().contains("SECOND_FACTOR_TYPE_OTP_EMAIL"));
  }

  @Test
  void germanUsersGetGermanMailAndNoCodeReachesTheLogs() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    String code;
    try {
      Reply created = server.http.post("/v2/users/human", admin, new JsonObject()
        .put("organization", new JsonObject().put("orgId", org)).put("username", "jonas")
        .put("profile", new JsonObject().put("givenName", "Jonas").put("familyName", "B").put("preferredLanguage", "de"))
        .put("email", new JsonObject().put("email", "jonas@acme.test")));
      assertEquals(201, created.status(), created.text());
      MimeMessage message = mail.await("jonas@acme.test", 1, 10_000).get(0);
      assertEquals("mfa-service: Ihr Bestätigungscode", Mailbox.subject(message));
      code = Mailbox.find(message, "lautet ([A-Z0-9]{6})");
      String user = created.json().getString("userId");
      assertEquals(200, server.http.post("/v2/users/" + user + "/email/verify", admin,
        new JsonObject().put("verificationCode", code)).status());
      // The outbox worker logs the send once the SMTP server has answered: the mail can arrive before that line.
      long deadline = System.currentTimeMillis() + 10_000;
      while (ours(logs).stream().noneMatch(OtpEmailApiTest::sendLine) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      root.detachAppender(logs);
    }
    List<ILoggingEvent> ours = ours(logs);
    assertTrue(ours.stream().anyMatch(OtpEmailApiTest::sendLine), "the send was logged");
    assertTrue(ours.stream().noneMatch(e -> e.getFormattedMessage().contains(code)), "a code in the logs");
    assertTrue(ours.stream().noneMatch(e -> e.getFormattedMessage().contains("jonas@acme.test")), "an unmasked address in the logs");
  }

  /** The service's own log lines (GreenMail, the test's SMTP server, logs what it receives); appends go on meanwhile. */
  private static List<ILoggingEvent> ours(ListAppender<ILoggingEvent> logs) {
    synchronized (logs) {
      return logs.list.stream().filter(e -> !e.getLoggerName().startsWith("com.icegreen")).toList();
    }
  }

  private static boolean sendLine(ILoggingEvent e) {
    return e.getFormattedMessage().contains("sent to j***@acme.test");
  }

  static Reply add(String user, String address, JsonObject choice) {
    JsonObject email = choice == null ? new JsonObject() : choice.copy();
    return server.http.post(path(user), admin, new JsonObject().put("email", email.put("address", address)));
  }

  static Reply verify(String user, String id, String code) {
    return server.http.post(path(user) + "/" + id + "/verify", admin, new JsonObject().put("code", code));
  }

  static String path(String user) {
    return "/v3alpha/users/" + user + "/otp_email";
  }

  static List<Object> methods(String user) {
    JsonArray types = server.http.get("/v2/users/" + user + "/authentication_methods", admin).json().getJsonArray("authMethodTypes");
    return types.getList();
  }
}
