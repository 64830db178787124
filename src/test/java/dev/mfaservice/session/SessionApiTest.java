package dev.mfaservice.session;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Await;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-ins (Session v2) for each second factor over HTTP, with GreenMail, a Twilio-compatible server and PostgreSQL. */
class SessionApiTest {
  static Mailbox mail;
  static FakeTwilio twilio;
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    mail = Mailbox.start();
    twilio = FakeTwilio.start();
    Map<String, String> env = new HashMap<>(mail.env());
    env.putAll(twilio.env());
    env.put("MFA_PHONE_DEFAULT_REGION", "CH");
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    server = TestServer.start(SessionApiTest.class, env, Clock.systemUTC());
    admin = server.adminToken();
    org = server.createOrg("Sign-in Org");
    String owner = server.token("owner", org, "ORG_OWNER");
    for (String type : new String[] {"SECOND_FACTOR_TYPE_OTP_EMAIL", "SECOND_FACTOR_TYPE_OTP_SMS"}) {
      assertEquals(200, server.http.post("/management/v1/policies/login/second_factors", owner, new JsonObject().put("type", type)).status());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    mail.close();
    twilio.close();
  }

  @Test
  void signInWithTotpAndTheEnrolmentCodeIsNotAcceptedAgain() {
    String user = server.createUser(org, "totp-signer");
    long now = System.currentTimeMillis() / 1000;
    String secret = enrolTotp(user, now);
    String enrolmentCode = Rfc6238.code(secret, now);
    Reply replay = create(new JsonObject().put("user", new JsonObject().put("userId", user))
      .put("totp", new JsonObject().put("code", enrolmentCode)), null);
    assertError(replay, 400, 3, "EVENT-8isk2");

    Reply created = create(new JsonObject().put("user", new JsonObject().put("loginName", "totp-signer"))
      .put("totp", new JsonObject().put("code", Rfc6238.code(secret, now + 30))), null);
    assertEquals(201, created.status(), created.text());
    String id = created.json().getString("sessionId");
    String token = created.json().getString("sessionToken");
    JsonObject factors = get(id, token).getJsonObject("factors");
    assertEquals(user, factors.getJsonObject("user").getString("id"));
    assertEquals(org, factors.getJsonObject("user").getString("organizationId"));
    assertEquals("totp-signer", factors.getJsonObject("user").getString("loginName"));
    assertNotNull(factors.getJsonObject("totp").getString("verifiedAt"));
    assertNull(factors.getValue("otpSms"));
  }

  @Test
  void signInWithAnEmailedCode() {
    String user = server.createUser(org, "mail-signer");
    assertEquals(200, server.http.post("/v3alpha/users/" + user + "/otp_email", admin, new JsonObject()
      .put("email", new JsonObject().put("address", "signer@acme.test").put("isVerified", true))).status());
    Reply created = create(new JsonObject().put("user", new JsonObject().put("userId", user)),
      new JsonObject().put("otpEmail", new JsonObject().put("sendCode", new JsonObject())));
    assertEquals(201, created.status(), created.text());
    String id = created.json().getString("sessionId");
    String token = created.json().getString("sessionToken");
    String code = Mailbox.find(mail.await("signer@acme.test", 1, 10_000).get(0), "sign-in code is (\\d{8})");

    assertError(patch(id, token, new JsonObject().put("otpEmail", new JsonObject().put("code", "00000000")), null), 400, 3, "CODE-woT0xc");
    Reply checked = patch(id, token, new JsonObject().put("otpEmail", new JsonObject().put("code", code)), null);
    assertEquals(200, checked.status(), checked.text());
    String newToken = checked.json().getString("sessionToken");
    assertNotEquals(token, newToken, "every change gives a new token");
    assertNotNull(get(id, newToken).getJsonObject("factors").getJsonObject("otpEmail").getString("verifiedAt"));
    assertError(patch(id, newToken, new JsonObject().put("otpEmail", new JsonObject().put("code", code)), null),
      400, 9, "CODE-notPending");
  }

  @Test
  void signInWithAnSmsCodeSentOrReturned() {
    String user = server.createUser(org, "sms-signer");
    assertEquals(200, server.http.post("/v3alpha/users/" + user + "/otp_sms", admin, new JsonObject()
      .put("phone", new JsonObject().put("number", "+41 79 700 00 01").put("isVerified", true))).status());
    Reply created = create(new JsonObject().put("user", new JsonObject().put("userId", user)),
      new JsonObject().put("otpSms", new JsonObject()));
    assertEquals(201, created.status(), created.text());
    String code = FakeTwilio.code(twilio.await("+41797000001", 1, 10_000).get(0), "^(\\d{8}) is your");
    Reply checked = patch(created.json().getString("sessionId"), created.json().getString("sessionToken"),
      new JsonObject().put("otpSms", new JsonObject().put("code", code)), null);
    assertEquals(200, checked.status(), checked.text());

    Reply returned = create(new JsonObject().put("user", new JsonObject().put("userId", user)),
      new JsonObject().put("otpSms", new JsonObject().put("returnCode", true)));
    String returnedCode = returned.json().getJsonObject("challenges").getString("otpSms");
    assertTrue(returnedCode.matches("\\d{8}"), returnedCode);
    assertEquals(1, twilio.to("+41797000001").size(), "returnCode sends nothing");
    assertEquals(200, patch(returned.json().getString("sessionId"), returned.json().getString("sessionToken"),
      new JsonObject().put("otpSms", new JsonObject().put("code", returnedCode)), null).status());
  }

  @Test
  void lockoutAtExactlyTheLimitUnderConcurrencyThenUnlock() throws Exception {
    String strict = server.createOrg("Lockout Sign-in Org");
    assertEquals(200, server.http.post("/management/v1/policies/lockout", server.token("o", strict, "ORG_OWNER"),
      new JsonObject().put("maxOtpAttempts", 3)).status());
    String user = server.createUser(strict, "guesser");
    String secret = enrolTotp(user);
    String right = Rfc6238.code(secret, System.currentTimeMillis() / 1000 + 30);
    String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Reply> replies = new ArrayList<>();
    try {
      List<Callable<Reply>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> create(new JsonObject().put("user", new JsonObject().put("userId", user))
          .put("totp", new JsonObject().put("code", wrong)), null));
      }
      for (var f : threads.invokeAll(calls)) {
        replies.add(f.get());
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(3, TestDatabases.count(server.database, "select failed from failed_checks where user_id = '" + user + "'"));
    assertEquals(2, replies.stream().filter(r -> r.text().contains("EVENT-8isk2")).count(), texts(replies));
    assertEquals(6, replies.stream().filter(r -> r.text().contains("COMMAND-Locked")).count(), texts(replies));
    assertError(create(new JsonObject().put("user", new JsonObject().put("userId", user))
      .put("totp", new JsonObject().put("code", right)), null), 400, 9, "COMMAND-Locked");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.locked'"));

    assertError(server.http.post("/v2/users/" + user + "/unlock", server.token(user, strict), new JsonObject()), 403, 7, "AUTH-AWfge");
    assertEquals(200, server.http.post("/v2/users/" + user + "/unlock", admin, new JsonObject()).status());
    assertEquals(201, create(new JsonObject().put("user", new JsonObject().put("userId", user))
      .put("totp", new JsonObject().put("code", right)), null).status());
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from failed_checks where user_id = '" + user + "'"));
  }

  @Test
  void aFactorRemovedFromThePolicyCannotBeChecked() {
    String other = server.createOrg("Policy Sign-in Org");
    String user = server.createUser(other, "policy-signer");
    String secret = enrolTotp(user);
    assertEquals(200, server.http.delete("/management/v1/policies/login/second_factors/SECOND_FACTOR_TYPE_OTP",
      server.token("o", other, "ORG_OWNER")).status());
    Reply refused = create(new JsonObject().put("user", new JsonObject().put("userId", user))
      .put("totp", new JsonObject().put("code", Rfc6238.code(secret, System.currentTimeMillis() / 1000 + 30))), null);
    assertError(refused, 400, 9, "POLICY-factorNotAllowed");
  }

  @Test
  void strangersCannotChangeOrReadASession() {
    String user = server.createUser(org, "private-signer");
    Reply created = create(new JsonObject().put("user", new JsonObject().put("userId", user)), null);
    String id = created.json().getString("sessionId");
    String token = created.json().getString("sessionToken");
    String stranger = server.token("stranger", "elsewhere");
    assertError(server.http.call("PATCH", "/v2/sessions/" + id, stranger, new JsonObject().put("sessionToken", token), Map.of()),
      403, 7, "AUTH-AWfge");
    assertError(server.http.get("/v2/sessions/" + id, stranger), 403, 7, "AUTH-AWfge");
    assertEquals(200, server.http.get("/v2/sessions/" + id + "?sessionToken=" + token, stranger).status(), "the token opens it");
    assertError(server.http.call("PATCH", "/v2/sessions/" + id, admin, new JsonObject().put("sessionToken", "forged"), Map.of()),
      403, 7, "AUTH-AWfge");
    assertEquals(200, server.http.delete("/v2/sessions/" + id, admin).status());
    assertError(server.http.get("/v2/sessions/" + id, admin), 404, 5, "SESSION-notFound");
  }

  @Test
  void anExpiredSessionRefusesChecks() {
    String user = server.createUser(org, "short-lived");
    Reply created = server.http.post("/v2/sessions", admin, new JsonObject().put("lifetime", "1s")
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user))));
    assertEquals(201, created.status(), created.text());
    String id = created.json().getString("sessionId");
    assertNotNull(get(id, created.json().getString("sessionToken")).getString("expirationDate"));
    Await.until(() -> patch(id, null, new JsonObject(), null).text().contains("SESSION-expired"), "the session expires");
  }

  static String enrolTotp(String user) {
    return enrolTotp(user, System.currentTimeMillis() / 1000);
  }

  /** Enrols with the code of the time step of {@code epochSecond} (a test that replays it must use the same step). */
  static String enrolTotp(String user, long epochSecond) {
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin,
      new JsonObject().put("code", Rfc6238.code(secret, epochSecond))).status());
    return secret;
  }

  static Reply create(JsonObject checks, JsonObject challenges) {
    JsonObject body = new JsonObject().put("checks", checks);
    if (challenges != null) {
      body.put("challenges", challenges);
    }
    return server.http.post("/v2/sessions", admin, body);
  }

  static Reply patch(String id, String token, JsonObject checks, JsonObject challenges) {
    JsonObject body = new JsonObject().put("checks", checks);
    if (token != null) {
      body.put("sessionToken", token);
    }
    if (challenges != null) {
      body.put("challenges", challenges);
    }
    return server.http.call("PATCH", "/v2/sessions/" + id, admin, body, Map.of());
  }

  static JsonObject get(String id, String token) {
    Reply r = server.http.get("/v2/sessions/" + id + "?sessionToken=" + token, admin);
    assertEquals(200, r.status(), r.text());
    return r.json().getJsonObject("session");
  }

  static String texts(List<Reply> replies) {
    return replies.stream().map(Reply::text).toList().toString();
  }
}
