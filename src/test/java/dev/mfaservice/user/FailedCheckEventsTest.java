package dev.mfaservice.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A refused code is an audit event wherever it is checked: at enrolment as at sign-in (SEC O7, 16.3.1). */
class FailedCheckEventsTest {
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(FailedCheckEventsTest.class);
    admin = server.adminToken();
    org = server.createOrg("Audited");
    assertEquals(200, server.http.call("POST", "/management/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_EMAIL"), Map.of("x-zitadel-orgid", org)).status());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static long failedEvents(String user, String factor) {
    return TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.human.mfa.check.failed' and payload->>'factor' = '" + factor + "'");
  }

  @Test
  void aWrongCodeAtTotpRegistrationIsAnEvent() {
    String user = server.createUser(org, "totp-wrong");
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).status());
    assertEquals(400, server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", "abc")).status());
    assertEquals(1, failedEvents(user, "SECOND_FACTOR_TYPE_OTP"));
  }

  @Test
  void aWrongCodeAtOtpEmailRegistrationIsAnEvent() {
    String user = server.createUser(org, "email-wrong");
    String id = server.http.post("/v3alpha/users/" + user + "/otp_email", admin, new JsonObject().put("email",
      new JsonObject().put("address", "wrong@acme.test").put("returnCode", new JsonObject()))).json().getString("otpEmailId");
    assertEquals(400, server.http.post("/v3alpha/users/" + user + "/otp_email/" + id + "/verify", admin,
      new JsonObject().put("code", "WRONG1")).status());
    assertEquals(1, failedEvents(user, "SECOND_FACTOR_TYPE_OTP_EMAIL"));
  }

  @Test
  void aWrongCodeAtSignInIsAnEventToo() {
    String user = server.createUser(org, "signin-wrong");
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject()
      .put("code", dev.mfaservice.support.Rfc6238.code(secret, System.currentTimeMillis() / 1000))).status());
    assertEquals(400, server.http.post("/v2/sessions", admin, new JsonObject().put("checks", new JsonObject()
      .put("user", new JsonObject().put("userId", user)).put("totp", new JsonObject().put("code", "abc")))).status());
    assertEquals(1, failedEvents(user, "SECOND_FACTOR_TYPE_OTP"));
  }
}
