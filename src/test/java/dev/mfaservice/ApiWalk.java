package dev.mfaservice;

import static dev.mfaservice.ContractCoverageTest.json;
import static dev.mfaservice.ContractCoverageTest.totp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** One walk through every operation, each with an answer that succeeds and one that is refused. */
final class ApiWalk {
  private static final String MGMT_2FA = "/management/v1/policies/login/second_factors";
  private static final String ADMIN_2FA = "/admin/v1/policies/login/second_factors";
  private static final JsonObject RETURN_CODE = new JsonObject();
  private final TestServer server;
  private final String admin;
  private final UnaryOperator<Reply> seen;
  private String orgHeader;

  ApiWalk(TestServer server, String admin, UnaryOperator<Reply> seen) {
    this.server = server;
    this.admin = admin;
    this.seen = seen;
  }

  private Reply expect(int status, String method, String path, String token, JsonObject body) {
    Map<String, String> headers = orgHeader == null ? Map.of() : Map.of("x-zitadel-orgid", orgHeader);
    Reply r = seen.apply(server.http.call(method, path, token, body, headers));
    assertEquals(status, r.status(), method + " " + path + ": " + r.text());
    return r;
  }

  void operations() {
    for (String path : new String[] {"/healthz", "/readyz", "/metrics", "/openapi.yaml", "/twilio-verify-v2.yaml", "/docs"}) {
      expect(200, "GET", path, null, null);
    }
  }

  String organizationsAndPolicies() {
    String name = "Walk " + UUID.randomUUID();
    String org = expect(201, "POST", "/v2/organizations", admin, json("name", name)).json().getString("organizationId");
    expect(409, "POST", "/v2/organizations", admin, json("name", name));
    orgHeader = org;
    for (String type : new String[] {"SECOND_FACTOR_TYPE_OTP_EMAIL", "SECOND_FACTOR_TYPE_OTP_SMS"}) {
      expect(200, "POST", MGMT_2FA, admin, json("type", type));
    }
    expect(409, "POST", MGMT_2FA, admin, json("type", 3));
    expect(200, "POST", MGMT_2FA + "/_search", admin, null);
    expect(401, "POST", MGMT_2FA + "/_search", null, null);
    expect(200, "DELETE", MGMT_2FA + "/SECOND_FACTOR_TYPE_U2F", admin, null);
    expect(404, "DELETE", MGMT_2FA + "/2", admin, null);
    orgHeader = null;
    expect(200, "POST", ADMIN_2FA, admin, json("type", "SECOND_FACTOR_TYPE_OTP_EMAIL"));
    expect(409, "POST", ADMIN_2FA, admin, json("type", "SECOND_FACTOR_TYPE_OTP_EMAIL"));
    expect(200, "POST", ADMIN_2FA + "/_search", admin, null);
    expect(403, "POST", ADMIN_2FA + "/_search", server.token("owner", org, "ORG_OWNER"), null);
    expect(200, "DELETE", ADMIN_2FA + "/SECOND_FACTOR_TYPE_OTP_EMAIL", admin, null);
    expect(404, "DELETE", ADMIN_2FA + "/SECOND_FACTOR_TYPE_OTP_EMAIL", admin, null);
    return org;
  }

  String users(String org) {
    String user = human(org, "walker", new JsonObject().put("email", "walker@walk.test").put("isVerified", true),
      new JsonObject().put("phone", "+41791230001").put("isVerified", true));
    expect(400, "POST", "/v2/users/human", admin, json("username", "no-profile"));
    expect(200, "GET", "/v2/users/" + user, admin, null);
    expect(404, "GET", "/v2/users/404404", admin, null);
    String leaving = human(org, "leaving", null, null);
    expect(200, "DELETE", "/v2/users/" + leaving, admin, null);
    expect(404, "DELETE", "/v2/users/" + leaving, admin, null);
    return user;
  }

  private String human(String org, String username, JsonObject email, JsonObject phone) {
    JsonObject body = new JsonObject().put("organization", json("orgId", org)).put("username", username)
      .put("profile", new JsonObject().put("givenName", "Wal").put("familyName", "Ker"));
    body.put("email", email).put("phone", phone);
    body.fieldNames().removeIf(k -> body.getValue(k) == null);
    return expect(201, "POST", "/v2/users/human", admin, body).json().getString("userId");
  }

  void totpFactors(String org, String user) {
    String base = "/v2/users/" + user;
    String secret = expect(200, "POST", base + "/totp", admin, null).json().getString("secret");
    expect(404, "POST", "/v2/users/404404/totp", admin, null);
    expect(400, "POST", base + "/totp/verify", admin, json("code", "abc"));
    expect(200, "POST", base + "/totp/verify", admin, json("code", totp(secret)));
    expect(200, "GET", base + "/authentication_methods", admin, null);
    expect(404, "GET", "/v2/users/404404/authentication_methods", admin, null);
    expect(200, "DELETE", base + "/totp", admin, null);
    expect(404, "DELETE", base + "/totp", admin, null);
    String self = server.token(human(org, "myself", null, null), org);
    String mine = "/auth/v1/users/me/auth_factors";
    String own = expect(200, "POST", mine + "/otp", self, null).json().getString("secret");
    expect(400, "POST", mine + "/otp/_verify", self, json("code", "abc"));
    expect(200, "POST", mine + "/otp/_verify", self, json("code", totp(own)));
    expect(409, "POST", mine + "/otp", self, null);
    expect(200, "POST", mine + "/_search", self, null);
    expect(401, "POST", mine + "/_search", null, null);
    expect(200, "DELETE", mine + "/otp", self, null);
    expect(404, "DELETE", mine + "/otp", self, null);
  }

  void otpAuthenticators(String org, String user) {
    authenticator(user, "otp_email", json("email", new JsonObject().put("address", "second@walk.test").put("returnCode", RETURN_CODE)),
      json("email", json("address", "not-an-address")), "otpEmailId");
    authenticator(user, "otp_sms", json("phone", new JsonObject().put("number", "+41791230002").put("returnCode", RETURN_CODE)),
      json("phone", json("number", "12")), "otpSmsId");
    for (String channel : new String[] {"otp_email", "otp_sms"}) {
      String path = "/v2/users/" + user + "/" + channel;
      expect(200, "POST", path, admin, null);
      expect(409, "POST", path, admin, null);
      expect(200, "DELETE", path, admin, null);
      expect(404, "DELETE", path, admin, null);
    }
  }

  private void authenticator(String user, String channel, JsonObject add, JsonObject bad, String idField) {
    String base = "/v3alpha/users/" + user + "/" + channel;
    JsonObject added = expect(200, "POST", base, admin, add).json();
    expect(400, "POST", base, admin, bad);
    String id = base + "/" + added.getString(idField);
    expect(400, "POST", id + "/verify", admin, json("code", "WRONG1"));
    expect(200, "POST", id + "/verify", admin, json("code", added.getString("verificationCode")));
    expect(200, "DELETE", id, admin, null);
    expect(404, "DELETE", id, admin, null);
  }

  void recoveryCodes(String org, String user) {
    orgHeader = org;
    expect(200, "POST", MGMT_2FA, admin, json("type", "SECOND_FACTOR_TYPE_RECOVERY_CODES"));
    orgHeader = null;
    String path = "/v2/users/" + user + "/recovery_codes";
    String code = expect(200, "POST", path, admin, json("count", 2)).json().getJsonArray("recoveryCodes").getString(0);
    expect(400, "POST", path, admin, json("count", 1000));
    expect(201, "POST", "/v2/sessions", admin, json("checks", new JsonObject().put("user", json("userId", user))
      .put("recoveryCode", json("code", code))));
    expect(200, "DELETE", path, admin, null);
    expect(404, "DELETE", path, admin, null);
  }

  void contacts(String user) {
    contact(user, "phone", "+41791230003", "12");
    contact(user, "email", "third@walk.test", "not-an-address");
  }

  private void contact(String user, String kind, String address, String bad) {
    String base = "/v2/users/" + user + "/" + kind;
    expect(200, "POST", base, admin, new JsonObject().put(kind, address).put("returnCode", RETURN_CODE));
    expect(400, "POST", base, admin, json(kind, bad));
    String code = expect(200, "POST", base + "/resend", admin, json("returnCode", RETURN_CODE)).json().getString("verificationCode");
    expect(400, "POST", base + "/verify", admin, json("verificationCode", "WRONG1"));
    expect(200, "POST", base + "/verify", admin, json("verificationCode", code));
    expect(400, "POST", base + "/resend", admin, json("returnCode", RETURN_CODE));
  }

  void sessions(String user) {
    JsonObject created = expect(201, "POST", "/v2/sessions", admin, json("checks", json("user", json("userId", user)))).json();
    expect(404, "POST", "/v2/sessions", admin, json("checks", json("user", json("userId", "404404"))));
    String path = "/v2/sessions/" + created.getString("sessionId");
    String token = expect(200, "PATCH", path, admin, new JsonObject().put("sessionToken", created.getString("sessionToken"))
      .put("lifetime", "600s")).json().getString("sessionToken");
    expect(400, "PATCH", path, admin, json("lifetime", "soon"));
    expect(200, "GET", path + "?sessionToken=" + token, admin, null);
    expect(404, "GET", "/v2/sessions/404404", admin, null);
    expect(200, "DELETE", path, admin, null);
    expect(404, "DELETE", path, admin, null);
  }

  void lockout(String org) {
    String mgmt = "/management/v1/policies/lockout";
    orgHeader = org;
    expect(200, "GET", mgmt, admin, null);
    expect(403, "GET", mgmt, server.token("nobody", org), null);
    expect(200, "POST", mgmt, admin, json("maxOtpAttempts", 1));
    expect(409, "POST", mgmt, admin, json("maxOtpAttempts", 1));
    expect(200, "PUT", mgmt, admin, json("maxOtpAttempts", 1));
    expect(400, "PUT", mgmt, admin, json("maxOtpAttempts", 5000));
    orgHeader = null;
    String locked = human(org, "locked", null, null);
    String secret = expect(200, "POST", "/v2/users/" + locked + "/totp", admin, null).json().getString("secret");
    expect(200, "POST", "/v2/users/" + locked + "/totp/verify", admin, json("code", totp(secret)));
    expect(400, "POST", "/v2/sessions", admin, json("checks", new JsonObject().put("user", json("userId", locked))
      .put("totp", json("code", "abc"))));
    assertEquals("USER_STATE_LOCKED", expect(200, "GET", "/v2/users/" + locked, admin, null).json()
      .getJsonObject("user").getString("state"));
    expect(200, "POST", "/v2/users/" + locked + "/unlock", admin, null);
    expect(400, "POST", "/v2/users/" + locked + "/unlock", admin, null);
    orgHeader = org;
    expect(200, "DELETE", mgmt, admin, null);
    expect(404, "DELETE", mgmt, admin, null);
    orgHeader = null;
    expect(200, "GET", "/admin/v1/policies/lockout", admin, null);
    expect(403, "GET", "/admin/v1/policies/lockout", server.token("owner", org, "ORG_OWNER"), null);
    expect(200, "PUT", "/admin/v1/policies/lockout", admin, json("maxOtpAttempts", 10));
    expect(400, "PUT", "/admin/v1/policies/lockout", admin, json("maxOtpAttempts", -1));
  }

  /** An org's Twilio Verify credentials: added (token once), listed, refused to another org's owner, removed. */
  void twilioCredentials(String org) {
    String path = "/v2/organizations/" + org + "/twilio_credentials";
    String sid = expect(201, "POST", path, admin, new JsonObject()).json().getString("accountSid");
    expect(403, "POST", path, server.token("other-owner", "elsewhere", "ORG_OWNER"), new JsonObject());
    expect(200, "GET", path, admin, null);
    expect(403, "GET", path, server.token("nobody", org), null);
    expect(200, "DELETE", path + "/" + sid, admin, null);
    expect(404, "DELETE", path + "/" + sid, admin, null);
  }

  void events() {
    expect(200, "POST", "/admin/v1/events/_search", admin, json("limit", 5));
    expect(400, "POST", "/admin/v1/events/_search", admin, json("limit", 0));
  }
}
