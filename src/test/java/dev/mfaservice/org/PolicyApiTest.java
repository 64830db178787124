package dev.mfaservice.org;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The org login policy (seed 004) and the lockout policy over HTTP, with inheritance and enforcement. */
class PolicyApiTest {
  static final String MGMT = "/management/v1/policies/login/second_factors";
  static final String ADMIN = "/admin/v1/policies/login/second_factors";
  static final String OTP = "SECOND_FACTOR_TYPE_OTP";
  static final String U2F = "SECOND_FACTOR_TYPE_U2F";
  static final String EMAIL = "SECOND_FACTOR_TYPE_OTP_EMAIL";
  static final String SMS = "SECOND_FACTOR_TYPE_OTP_SMS";
  static TestServer server;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(PolicyApiTest.class);
    admin = server.adminToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anOrgInheritsTheDefaultUntilItsFirstChangeCopiesIt() {
    String org = server.createOrg("Copy Co");
    String bystander = server.createOrg("Still Inheriting");
    String owner = server.token("owner", org, "ORG_OWNER");
    assertEquals(new JsonArray().add(OTP).add(U2F), list(ADMIN, admin, null));
    assertEquals(new JsonArray().add(OTP).add(U2F), list(MGMT, owner, null), "inherited");

    Reply added = server.http.post(MGMT, owner, type(EMAIL));
    assertEquals(200, added.status(), added.text());
    JsonObject details = added.json().getJsonObject("details");
    assertEquals(org, details.getString("resourceOwner"));
    assertEquals("3", details.getString("sequence"), "org.added, the copy, the change");
    assertEquals(new JsonArray().add(OTP).add(U2F).add(EMAIL), list(MGMT, owner, null));
    assertEquals(List.of("org.added", "org.policy.login.added", "org.policy.login.secondfactor.added"), eventTypes("org", org));

    // Later changes of the default reach orgs that still inherit, not the one that copied.
    Reply removedU2f = server.http.delete(ADMIN + "/" + U2F, admin);
    assertEquals(200, removedU2f.status(), removedU2f.text());
    assertEquals("instance", removedU2f.json().getJsonObject("details").getString("resourceOwner"));
    assertEquals(new JsonArray().add(OTP).add(U2F).add(EMAIL), list(MGMT, owner, null));
    assertEquals(new JsonArray().add(OTP), list(MGMT, admin, bystander));
    assertEquals(200, server.http.post(ADMIN, admin, type(U2F)).status());
    assertEquals(new JsonArray().add(OTP).add(U2F), list(ADMIN, admin, null));

    Reply removed = server.http.delete(MGMT + "/" + EMAIL, owner);
    assertEquals(200, removed.status(), removed.text());
    assertEquals("4", removed.json().getJsonObject("details").getString("sequence"));
    assertTrue(removed.json().getJsonObject("details").containsKey("changeDate"));
  }

  @Test
  void recoveryCodesAreAddedAndRemovedLikeTheOtherTypesAndNotInTheSeedDefault() {
    String org = server.createOrg("Recovery Policy Co");
    String owner = server.token("owner", org, "ORG_OWNER");
    String recovery = "SECOND_FACTOR_TYPE_RECOVERY_CODES";
    assertEquals(new JsonArray().add(OTP).add(U2F), list(ADMIN, admin, null), "seed 004's default: OTP and U2F only");
    assertError(server.http.post("/v2/users/" + server.createUser(org, "early") + "/recovery_codes", admin, new JsonObject()),
      400, 9, "POLICY-factorNotAllowed");
    assertEquals(200, server.http.post(MGMT, owner, type(5)).status(), "ZITADEL's number 5");
    assertEquals(new JsonArray().add(OTP).add(U2F).add(recovery), list(MGMT, owner, null));
    assertError(server.http.post(MGMT, owner, type(recovery)), 409, 6, "Org-2B0ps");
    assertEquals(200, server.http.delete(MGMT + "/5", owner).status());
    assertError(server.http.delete(MGMT + "/" + recovery, owner), 404, 5, "Org-3M9od");
    assertError(server.http.post(MGMT, owner, type(6)), 400, 3, "API-validation");

    assertEquals(200, server.http.post(ADMIN, admin, type(recovery)).status());
    assertEquals(new JsonArray().add(OTP).add(U2F).add(recovery), list(ADMIN, admin, null));
    String inheriting = server.createOrg("Inherits Recovery");
    assertEquals(200, server.http.post("/v2/users/" + server.createUser(inheriting, "heir") + "/recovery_codes", admin,
      new JsonObject()).status(), "an org without its own list follows the default");
    assertEquals(200, server.http.delete(ADMIN + "/" + recovery, admin).status());
    assertEquals(new JsonArray().add(OTP).add(U2F), list(ADMIN, admin, null));
  }

  @Test
  void typesByNameOrNumberAndEveryErrorCase() {
    String org = server.createOrg("Errors Inc");
    String owner = server.token("owner", org, "ORG_OWNER");
    assertError(server.http.post(MGMT, owner, type(OTP)), 409, 6, "Org-2B0ps");
    assertError(server.http.delete(MGMT + "/" + SMS, owner), 404, 5, "Org-3M9od");
    assertEquals(200, server.http.post(MGMT, owner, new JsonObject().put("type", 4)).status(), "4 = OTP_SMS");
    assertEquals(200, server.http.delete(MGMT + "/4", owner).status());
    for (Object bad : new Object[] {"SECOND_FACTOR_TYPE_UNSPECIFIED", "SECOND_FACTOR_TYPE_PASSKEY", 0, 7, "otp", true}) {
      Reply r = server.http.post(MGMT, owner, new JsonObject().put("type", bad));
      assertError(r, 400, 3, "API-validation");
      assertTrue(r.json().getString("message").contains("type"), r.text());
    }
    assertError(server.http.post(MGMT, owner, new JsonObject()), 400, 3, "API-validation");
    Reply badPath = server.http.delete(MGMT + "/SECOND_FACTOR_TYPE_UNSPECIFIED", owner);
    assertError(badPath, 400, 3, "API-validation");
    assertTrue(badPath.json().getString("message").contains("type"), badPath.text());
    assertEquals(new JsonArray().add(OTP).add(U2F), list(MGMT, owner, null), "nothing changed by the refusals");
  }

  @Test
  void theHeaderSelectsTheOrgForThoseWithTheRight() {
    String a = server.createOrg("Org A");
    String b = server.createOrg("Org B");
    String ownerOfA = server.token("oa", a, "ORG_OWNER");
    assertError(post(MGMT, ownerOfA, b, type(SMS)), 403, 7, "AUTH-AWfge");
    assertError(server.http.post(ADMIN, ownerOfA, type(SMS)), 403, 7, "AUTH-AWfge");
    assertError(server.http.post(MGMT, server.token("um", a, "ORG_USER_MANAGER"), type(SMS)), 403, 7, "AUTH-AWfge");
    assertError(server.http.post(MGMT, server.token("plain", a), type(SMS)), 403, 7, "AUTH-AWfge");
    assertError(server.http.post(MGMT, null, type(SMS)), 401, 16, "AUTH-7fs1e");
    assertEquals(200, post(MGMT, admin, b, type(SMS)).status());
    assertEquals(new JsonArray().add(OTP).add(U2F).add(SMS), list(MGMT, admin, b));
    assertEquals(new JsonArray().add(OTP).add(U2F), list(MGMT, ownerOfA, null), "A untouched");
    assertError(server.http.post(MGMT, admin, type(SMS)), 404, 5, "ORG-notFound");
  }

  @Test
  void enrolmentFollowsThePolicyAndRemovalKeepsExistingFactors() {
    String org = server.createOrg("Strict Ltd");
    String owner = server.token("owner", org, "ORG_OWNER");
    String keeper = server.createUser(org, "keeper");
    String secret = server.http.post("/v2/users/" + keeper + "/totp", admin, new JsonObject()).json().getString("secret");
    assertEquals(200, server.http.post("/v2/users/" + keeper + "/totp/verify", admin,
      new JsonObject().put("code", Rfc6238.code(secret, System.currentTimeMillis() / 1000))).status());
    String pending = server.createUser(org, "pending");
    String pendingSecret = server.http.post("/v2/users/" + pending + "/totp", admin, new JsonObject()).json().getString("secret");

    assertEquals(200, server.http.delete(MGMT + "/" + OTP, owner).status());
    String newcomer = server.createUser(org, "newcomer");
    Reply refused = server.http.post("/v2/users/" + newcomer + "/totp", admin, new JsonObject());
    assertError(refused, 400, 9, "POLICY-factorNotAllowed");
    assertTrue(refused.json().getString("message").contains(OTP), refused.text());
    assertError(server.http.post("/auth/v1/users/me/auth_factors/otp", server.token(newcomer, org), new JsonObject()),
      400, 9, "POLICY-factorNotAllowed");
    assertError(server.http.post("/v2/users/" + pending + "/totp/verify", admin,
      new JsonObject().put("code", Rfc6238.code(pendingSecret, System.currentTimeMillis() / 1000))), 400, 9, "POLICY-factorNotAllowed");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from totp_factors where user_id = '" + newcomer + "'"));
    Reply kept = server.http.get("/v2/users/" + keeper + "/authentication_methods", admin);
    assertEquals(new JsonArray().add("AUTHENTICATION_METHOD_TYPE_TOTP"), kept.json().getJsonArray("authMethodTypes"));

    assertEquals(200, server.http.post(MGMT, owner, type(OTP)).status());
    assertEquals(200, server.http.post("/v2/users/" + newcomer + "/totp", admin, new JsonObject()).status());
  }

  @Test
  void concurrentAddsOfOneTypeGiveOne200AndThe409s() throws Exception {
    for (int round = 0; round < 3; round++) {
      String org = server.createOrg("Racing " + round);
      String owner = server.token("owner", org, "ORG_OWNER");
      ExecutorService threads = Executors.newFixedThreadPool(6);
      try {
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          calls.add(() -> server.http.post(MGMT, owner, type(EMAIL)));
        }
        List<Reply> replies = new ArrayList<>();
        for (var f : threads.invokeAll(calls)) {
          replies.add(f.get());
        }
        assertEquals(1, replies.stream().filter(r -> r.status() == 200).count(), replies.toString());
        replies.stream().filter(r -> r.status() != 200).forEach(r -> assertError(r, 409, 6, "Org-2B0ps"));
        assertEquals(new JsonArray().add(OTP).add(U2F).add(EMAIL), list(MGMT, owner, null));
      } finally {
        threads.shutdownNow();
      }
    }
  }

  @Test
  void lockoutPolicyForTheDefaultAndForAnOrg() {
    String org = server.createOrg("Lockout Org");
    String owner = server.token("owner", org, "ORG_OWNER");
    String lockout = "/management/v1/policies/lockout";
    assertEquals(200, put("/admin/v1/policies/lockout", admin, new JsonObject().put("maxOtpAttempts", 5)).status());
    JsonObject inherited = server.http.get(lockout, owner).json().getJsonObject("policy");
    assertEquals("5", inherited.getString("maxOtpAttempts"));
    assertEquals(true, inherited.getBoolean("isDefault"));

    Reply added = server.http.post(lockout, owner, new JsonObject().put("maxOtpAttempts", 3));
    assertEquals(200, added.status(), added.text());
    assertEquals(org, added.json().getJsonObject("details").getString("resourceOwner"));
    JsonObject own = server.http.get(lockout, owner).json().getJsonObject("policy");
    assertEquals("3", own.getString("maxOtpAttempts"));
    assertEquals(null, own.getValue("isDefault"));
    assertError(server.http.post(lockout, owner, new JsonObject().put("maxOtpAttempts", 4)), 409, 6, "Org-lockoutExists");
    assertEquals(200, put(lockout, owner, new JsonObject().put("maxOtpAttempts", 4)).status());
    assertEquals("4", server.http.get(lockout, owner).json().getJsonObject("policy").getString("maxOtpAttempts"));
    assertEquals("5", server.http.get("/admin/v1/policies/lockout", admin).json().getJsonObject("policy").getString("maxOtpAttempts"));

    assertEquals(200, server.http.delete(lockout, owner).status());
    assertEquals("5", server.http.get(lockout, owner).json().getJsonObject("policy").getString("maxOtpAttempts"));
    assertError(server.http.delete(lockout, owner), 404, 5, "Org-lockoutNotFound");
    assertEquals(404, put(lockout, owner, new JsonObject().put("maxOtpAttempts", 1)).status());
    assertError(server.http.post(lockout, owner, new JsonObject().put("maxOtpAttempts", -1)), 400, 3, "API-validation");
    assertEquals(403, put("/admin/v1/policies/lockout", owner, new JsonObject().put("maxOtpAttempts", 0)).status());
    assertEquals(List.of("org.added", "org.policy.lockout.added", "org.policy.lockout.changed", "org.policy.lockout.removed"),
      eventTypes("org", org));
  }

  private static JsonObject type(Object type) {
    return new JsonObject().put("type", type);
  }

  private static JsonArray list(String base, String token, String orgHeader) {
    Reply r = post(base + "/_search", token, orgHeader, new JsonObject());
    assertEquals(200, r.status(), r.text());
    JsonObject body = r.json();
    assertEquals(Integer.toString(body.getJsonArray("result").size()), body.getJsonObject("details").getString("totalResult"));
    return body.getJsonArray("result");
  }

  private static Reply post(String path, String token, String orgHeader, JsonObject body) {
    return server.http.call("POST", path, token, body, orgHeader == null ? Map.of() : Map.of("x-zitadel-orgid", orgHeader));
  }

  private static Reply put(String path, String token, JsonObject body) {
    return server.http.put(path, token, body);
  }

  private static List<String> eventTypes(String aggregateType, String id) {
    Reply r = server.http.post("/admin/v1/events/_search", admin, new JsonObject()
      .put("aggregateTypes", new JsonArray().add(aggregateType)).put("aggregateId", id).put("asc", true));
    List<String> types = new ArrayList<>();
    r.json().getJsonArray("events").forEach(e -> types.add(((JsonObject) e).getJsonObject("type").getString("type")));
    return types;
  }
}
