package dev.mfaservice.otp;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Await;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMS pumping and the wider send limits (issue 15 item 3, SEC B1/B2/X3): per number prefix, per country calling
 * code, per caller, per end-user IP (from a trusted proxy's X-Forwarded-For or a managing caller's userAgent.ip).
 * Each refusal is a 429 with Retry-After and RetryInfo, reaches no provider, and leaves an event and a metric.
 * Two instances share one database: {@code server} trusts 127.0.0.1 as a proxy, {@code other} trusts nobody.
 * Each test has its own caller and its own country (or email), so the tests' counts do not meet.
 */
class SmsPumpingTest {
  static final int PER_PREFIX = 3;
  static final int PER_COUNTRY = 8;
  static final int PER_CALLER = 9;
  static final int PER_IP = 3;
  static FakeTwilio twilio;
  static TestServer server;
  static TestServer other;
  static String org;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    Map<String, String> env = twilio.replicaEnv("41,43,44,45,49");
    env.put("MFA_PHONE_DEFAULT_REGION", "CH");
    env.put("MFA_LIMITS_SMS_PER_PREFIX_PER_HOUR", Integer.toString(PER_PREFIX));
    env.put("MFA_LIMITS_SMS_PER_COUNTRY_PER_HOUR", Integer.toString(PER_COUNTRY));
    env.put("MFA_LIMITS_PER_CALLER_PER_HOUR", Integer.toString(PER_CALLER));
    env.put("MFA_LIMITS_PER_IP_PER_HOUR", Integer.toString(PER_IP));
    Map<String, String> untrusting = new HashMap<>(env);
    env.put("MFA_HTTP_TRUSTED_PROXIES", "127.0.0.1");
    server = TestServer.start(SmsPumpingTest.class, env, Clock.systemUTC());
    other = TestServer.startOn(server.database, SmsPumpingTest.class, untrusting, Clock.systemUTC());
    org = server.createOrg("Pumped Org");
    assertEquals(200, server.http.post("/admin/v1/policies/login/second_factors", server.adminToken(),
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_SMS")).status());
  }

  @AfterAll
  static void stop() {
    other.stopKeepingDatabase();
    server.close();
    twilio.close();
  }

  @Test
  void fiftyNumbersSharingAPrefixGetOnlyThePrefixLimitOfSms() {
    String app = server.token("prefix-app", "instance", "IAM_OWNER");
    double refusedBefore = refusedMetric(server, "sms-prefix", "sms");
    int sent = 0;
    for (int i = 0; i < 50; i++) {
      String number = "+4179123" + String.format("%04d", i);
      Reply r = setPhone(server.http, app, server.createUser(org, "prefix" + i), number, Map.of());
      if (i < PER_PREFIX) {
        assertEquals(200, r.status(), r.text());
        sent++;
      } else {
        assertRefused(r, "numbers like this one");
      }
    }
    assertEquals(PER_PREFIX, sent);
    awaitSent("recipient like '+4179123%'", PER_PREFIX);
    assertEquals(PER_PREFIX, smsTo("+4179123"), "the provider got exactly the allowed ones, no request for the 47 others");
    awaitLimitedEvents("sms-prefix", "prefix-app", 50 - PER_PREFIX);
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from events where event_type = 'notification.limited'"
      + " and payload::text like '%4179123%'"), "events carry the number masked");
    assertEquals(50 - PER_PREFIX, refusedMetric(server, "sms-prefix", "sms") - refusedBefore, 0.0);
  }

  @Test
  void aCountryGetsAtMostItsHourlyCapAcrossPrefixes() {
    String app = server.token("country-app", "instance", "IAM_OWNER");
    for (int d = 0; d <= PER_COUNTRY; d++) {
      Reply r = setPhone(server.http, app, server.createUser(org, "country" + d), "+49151" + d + "2345678", Map.of());
      if (d < PER_COUNTRY) {
        assertEquals(200, r.status(), r.text());
      } else {
        assertRefused(r, "to this country");
      }
    }
    awaitSent("recipient like '+49%'", PER_COUNTRY);
    assertEquals(PER_COUNTRY, smsTo("+49"));
    awaitLimitedEvents("sms-country", "country-app", 1);
    assertTrue(refusedMetric(server, "sms-country", "sms") >= 1);
  }

  @Test
  void oneCallerIsCappedOnEmailAndSmsTogether() {
    String app = server.token("busy-app", "instance", "IAM_OWNER");
    for (int i = 0; i < PER_CALLER; i++) {
      Reply r = setEmail(server.http, app, server.createUser(org, "busy" + i), "busy" + i + "@acme.test", Map.of());
      assertEquals(200, r.status(), r.text());
    }
    assertRefused(setEmail(server.http, app, server.createUser(org, "busy-mail"), "busy-mail@acme.test", Map.of()),
      "for this caller");
    assertRefused(setPhone(server.http, app, server.createUser(org, "busy-sms"), "+45 20 72 34 56", Map.of()), "for this caller");
    assertEquals(0, smsTo("+4520723456"));
    awaitLimitedEvents("caller", "busy-app", 2);
    assertTrue(refusedMetric(server, "caller", "email") >= 1 && refusedMetric(server, "caller", "sms") >= 1);
    String another = server.token("other-app", "instance", "IAM_OWNER");
    assertEquals(200, setEmail(server.http, another, server.createUser(org, "not-busy"), "not-busy@acme.test", Map.of()).status(),
      "the cap is per caller");
  }

  @Test
  void theEndUsersIpFromATrustedProxyIsLimited() {
    String app = server.token("proxy-app", "instance", "IAM_OWNER");
    for (int d = 0; d < PER_IP; d++) {
      Reply r = setPhone(server.http, app, server.createUser(org, "proxied" + d), "+43664" + d + "234567",
        Map.of("X-Forwarded-For", "203.0.113.7"));
      assertEquals(200, r.status(), r.text());
    }
    // A client may prepend anything: the proxy appends the address it saw, and that one counts.
    assertRefused(setPhone(server.http, app, server.createUser(org, "proxied-spoof"), "+436643234567",
      Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.7")), "for this IP address");
    assertEquals(200, setPhone(server.http, app, server.createUser(org, "proxied-other"), "+436644234567",
      Map.of("X-Forwarded-For", "203.0.113.8")).status(), "another end user");
    awaitSent("recipient like '+43%'", PER_IP + 1);
    assertEquals(0, smsTo("+436643234567"));
    assertEquals(PER_IP, TestDatabases.count(server.database, "select count(*) from outbox where end_user_ip = '203.0.113.7'"));
    awaitLimitedEvents("ip", "proxy-app", 1);
  }

  @Test
  void forwardedForFromAnUntrustedAddressIsIgnored() {
    String app = other.token("direct-app", "instance", "IAM_OWNER");
    for (int i = 0; i < PER_IP + 2; i++) {
      Reply r = setEmail(other.http, app, other.createUser(org, "direct" + i), "direct" + i + "@acme.test",
        Map.of("X-Forwarded-For", "203.0.113.9"));
      assertEquals(200, r.status(), "an app server calling for many users is no single end user: " + r.text());
    }
    String mine = " and user_id in (select id from users where username like 'direct%')";
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from outbox where end_user_ip is not null" + mine));
    Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where status = 'sent'" + mine)
      == PER_IP + 2, "all sent");
  }

  @Test
  void userAgentIpOfCreateSessionFromAManagingCallerIsLimitedThenAndInSetSession() {
    String app = server.token("login-app", org, "ORG_USER_MANAGER");
    for (int d = 0; d <= PER_IP; d++) {
      String user = server.createUser(org, "signer" + d);
      String number = "+447400" + d + "23456";
      assertEquals(200, server.http.post("/v3alpha/users/" + user + "/otp_sms", server.adminToken(), new JsonObject()
        .put("phone", new JsonObject().put("number", number).put("isVerified", true))).status());
      if (d < PER_IP) {
        Reply r = createSession(app, user, "198.51.100.20", true);
        assertEquals(201, r.status(), r.text());
      } else {
        // The usual login flow: the user in CreateSession (with the user agent), the challenge in SetSession.
        Reply created = createSession(app, user, "198.51.100.20", false);
        assertEquals(201, created.status(), created.text());
        assertRefused(server.http.call("PATCH", "/v2/sessions/" + created.json().getString("sessionId"), app, new JsonObject()
          .put("sessionToken", created.json().getString("sessionToken"))
          .put("challenges", new JsonObject().put("otpSms", new JsonObject())), Map.of()), "for this IP address");
      }
    }
    awaitSent("recipient like '+44%'", PER_IP);
    assertEquals(PER_IP, smsTo("+44"));
    awaitLimitedEvents("ip", "login-app", 1);
    assertEquals(PER_IP + 1, TestDatabases.count(server.database, "select count(*) from sessions where user_agent_ip = '198.51.100.20'"));

    String self = server.createUser(org, "signer-self");
    assertEquals(200, server.http.post("/v3alpha/users/" + self + "/otp_sms", server.adminToken(), new JsonObject()
      .put("phone", new JsonObject().put("number", "+447400523456").put("isVerified", true))).status());
    Reply own = createSession(server.token(self, org), self, "198.51.100.20", true);
    assertEquals(201, own.status(), "a caller that does not manage the user cannot name the IP: " + own.text());
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from sessions where user_agent_ip is not null"
      + " and user_id = '" + self + "'"), "nor is it kept");
  }

  @Test
  void twoInstancesOnOneDatabaseShareTheLimits() {
    String onFirst = server.token("shared-app", "instance", "IAM_OWNER");
    String onSecond = other.token("shared-app", "instance", "IAM_OWNER");
    assertEquals(200, setPhone(server.http, onFirst, server.createUser(org, "shared1"), "+41794560001", Map.of()).status());
    assertEquals(200, setPhone(other.http, onSecond, other.createUser(org, "shared2"), "+41794560002", Map.of()).status());
    assertEquals(200, setPhone(server.http, onFirst, server.createUser(org, "shared3"), "+41794560003", Map.of()).status());
    assertRefused(setPhone(other.http, onSecond, other.createUser(org, "shared4"), "+41794560004", Map.of()),
      "numbers like this one");
    awaitSent("recipient like '+4179456%'", PER_PREFIX);
    assertEquals(PER_PREFIX, smsTo("+4179456"));
    assertEquals(1, refusedMetric(other, "sms-prefix", "sms"), 0.0);
  }

  @Test
  void overConnectAProxysForwardedForAndUserAgentIpCountAsOverRest() throws Exception {
    String app = server.token("connect-app", org, "ORG_USER_MANAGER");
    Map<String, String> proxied = Map.of("X-Forwarded-For", "203.0.113.50");
    for (int d = 1; d <= PER_IP; d++) {
      HttpResponse<String> r = connect("zitadel.user.v2.UserService/SetPhone", app, new JsonObject()
        .put("userId", server.createUser(org, "connected" + d)).put("phone", "+4520" + d + "23456"), proxied);
      assertEquals(200, r.statusCode(), r.body());
    }
    HttpResponse<String> refused = connect("zitadel.user.v2.UserService/SetPhone", app, new JsonObject()
      .put("userId", server.createUser(org, "connected-over")).put("phone", "+4520923456"), proxied);
    assertEquals(429, refused.statusCode(), refused.body());
    assertEquals("resource_exhausted", new JsonObject(refused.body()).getString("code"));
    assertEquals(0, smsTo("+4520923456"));

    String user = server.createUser(org, "connected-signer");
    assertEquals(200, server.http.post("/v3alpha/users/" + user + "/otp_sms", server.adminToken(), new JsonObject()
      .put("phone", new JsonObject().put("number", "+4520823456").put("isVerified", true))).status());
    HttpResponse<String> session = connect("zitadel.session.v2.SessionService/CreateSession", app, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
      .put("userAgent", new JsonObject().put("ip", "198.51.100.60")), Map.of());
    assertEquals(200, session.statusCode(), session.body());
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from sessions where user_agent_ip = '198.51.100.60'"),
      "user_agent.ip of the proto reaches the session");
  }

  static HttpResponse<String> connect(String procedure, String token, JsonObject body, Map<String, String> headers)
    throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.config.http().port() + "/" + procedure))
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).header("Content-Type", "application/json")
      .header("Connect-Protocol-Version", "1").header("Authorization", "Bearer " + token);
    headers.forEach(b::header);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertRefused(Reply r, String why) {
    assertError(r, 429, 8, "NOTIFY-rateLimited");
    assertTrue(r.json().getString("message").contains(why), r.text());
    long retryAfter = Long.parseLong(r.raw().headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 3601, "Retry-After " + retryAfter);
    JsonObject retry = r.json().getJsonArray("details").getJsonObject(1);
    assertEquals("type.googleapis.com/google.rpc.RetryInfo", retry.getString("@type"));
    assertEquals(retryAfter + "s", retry.getString("retryDelay"));
  }

  static Reply setPhone(Http http, String token, String user, String phone, Map<String, String> headers) {
    return http.call("POST", "/v2/users/" + user + "/phone", token, new JsonObject().put("phone", phone), headers);
  }

  static Reply setEmail(Http http, String token, String user, String email, Map<String, String> headers) {
    return http.call("POST", "/v2/users/" + user + "/email", token, new JsonObject().put("email", email), headers);
  }

  static Reply createSession(String token, String user, String ip, boolean challenge) {
    JsonObject body = new JsonObject().put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
      .put("userAgent", new JsonObject().put("ip", ip).put("description", "a browser"));
    return server.http.post("/v2/sessions", token, challenge
      ? body.put("challenges", new JsonObject().put("otpSms", new JsonObject())) : body);
  }

  static long smsTo(String prefix) {
    return twilio.sentCount(prefix);
  }

  static void awaitSent(String where, int count) {
    Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where status = 'sent' and " + where)
      == count, count + " sent where " + where);
  }

  /** The refusals' events are written after the answer, on a connection of their own: polled until there are {@code n}. */
  static void awaitLimitedEvents(String limit, String caller, long n) {
    Await.until(() -> TestDatabases.count(server.database, "select count(*) from events where event_type = 'notification.limited'"
      + " and payload->>'limit' = '" + limit + "' and creator = '" + caller + "'") == n, n + " " + limit + " events of " + caller);
  }

  /** The value of {@code mfa_send_refused_total{channel,limit}} on the instance's /metrics, 0 when absent. */
  static double refusedMetric(TestServer instance, String limit, String channel) {
    String metrics = instance.http.get("/metrics", null).text();
    Matcher m = Pattern.compile("(?m)^mfa_send_refused_total\\{channel=\"" + channel + "\",limit=\"" + limit
      + "\",?\\} ([0-9.E]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
