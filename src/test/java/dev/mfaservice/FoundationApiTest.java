package dev.mfaservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.mfaservice.support.ApiAssertions.assertError;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The foundation as a client sees it: orgs, users, events, auth and every error body, over real HTTP and PostgreSQL. */
class FoundationApiTest {
  static TestServer server;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(FoundationApiTest.class);
    org = server.createOrg("Acme");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void userLifecycleCreateGetDeleteThenGone() throws Exception {
    String admin = server.adminToken();
    Reply created = server.http.post("/v2/users/human", admin, new JsonObject()
      .put("organization", new JsonObject().put("orgId", org)).put("username", "gigi")
      .put("profile", new JsonObject().put("givenName", "Gigi").put("familyName", "Giraffe"))
      .put("email", new JsonObject().put("email", "gigi@acme.test").put("isVerified", true))
      .put("phone", new JsonObject().put("phone", "+41 79 123 45 67")));
    assertEquals(201, created.status(), created.text());
    String userId = created.json().getString("userId");
    assertTrue(userId.matches("\\d{18}"), userId);
    JsonObject addDetails = created.json().getJsonObject("details");
    assertEquals("1", addDetails.getString("sequence"));
    assertEquals(org, addDetails.getString("resourceOwner"));
    assertNotNull(addDetails.getString("creationDate"));
    assertEventRow(userId, 1, "user.human.added", addDetails.getString("creationDate"));

    Reply got = server.http.get("/v2/users/" + userId, admin);
    assertEquals(200, got.status(), got.text());
    JsonObject user = got.json().getJsonObject("user");
    assertEquals("gigi", user.getString("username"));
    assertEquals("USER_STATE_ACTIVE", user.getString("state"));
    JsonObject human = user.getJsonObject("human");
    assertEquals("Gigi", human.getJsonObject("profile").getString("givenName"));
    assertEquals("Gigi Giraffe", human.getJsonObject("profile").getString("displayName"));
    assertEquals(new JsonObject().put("email", "gigi@acme.test").put("isVerified", true), human.getJsonObject("email"));
    assertEquals(new JsonObject().put("phone", "+41791234567"), human.getJsonObject("phone"), "stored in E.164");

    Reply deleted = server.http.delete("/v2/users/" + userId, admin);
    assertEquals(200, deleted.status(), deleted.text());
    JsonObject delDetails = deleted.json().getJsonObject("details");
    assertEquals("2", delDetails.getString("sequence"));
    assertNotNull(delDetails.getString("changeDate"));
    assertEventRow(userId, 2, "user.removed", delDetails.getString("changeDate"));

    Reply gone = server.http.get("/v2/users/" + userId, admin);
    assertError(gone, 404, 5, "COMMAND-SqyJz");
    assertError(server.http.delete("/v2/users/" + userId, admin), 404, 5, "COMMAND-SqyJz");
  }

  @Test
  void organizationCreationNeedsIamOwnerAndAUniqueName() {
    Reply created = server.http.post("/v2/organizations", server.adminToken(),
      new JsonObject().put("name", "Globex").put("organizationId", "globex-1"));
    assertEquals(201, created.status(), created.text());
    assertEquals("globex-1", created.json().getString("organizationId"));
    assertEquals("globex-1", created.json().getJsonObject("details").getString("resourceOwner"));

    assertError(server.http.post("/v2/organizations", server.adminToken(), new JsonObject().put("name", "GLOBEX")),
      409, 6, "ORG-nameTaken");
    assertError(server.http.post("/v2/organizations", server.adminToken(),
      new JsonObject().put("name", "Other").put("organizationId", "globex-1")), 409, 6, "EVENT-exists");
    String orgOwner = server.token("owner", org, "ORG_OWNER");
    assertError(server.http.post("/v2/organizations", orgOwner, new JsonObject().put("name", "Mine")), 403, 7, "AUTH-AWfge");
  }

  @Test
  void usernamesAreUniquePerOrgOnly() {
    String other = server.createOrg("Initech");
    server.createUser(org, "sam");
    server.createUser(other, "sam");
    Reply clash = server.http.post("/v2/users/human", server.adminToken(), new JsonObject()
      .put("organization", new JsonObject().put("orgId", org)).put("username", "SAM")
      .put("profile", new JsonObject().put("givenName", "S").put("familyName", "S")));
    assertError(clash, 409, 6, "USER-usernameTaken");
  }

  @Test
  void rightsFollowTheTargetUsersOrg() {
    String other = server.createOrg("Umbrella");
    String ours = server.createUser(org, "ours");
    String manager = server.token("mgr", other, "ORG_USER_MANAGER");
    // Creating a user in an org one holds no role in: 403.
    Reply create = server.http.post("/v2/users/human", manager, new JsonObject()
      .put("organization", new JsonObject().put("orgId", org)).put("username", "intruder")
      .put("profile", new JsonObject().put("givenName", "I").put("familyName", "I")));
    assertError(create, 403, 7, "AUTH-AWfge");
    // Reading or deleting a user of that org: the same 404 as an unknown user (SEC A7).
    Reply unknown = server.http.get("/v2/users/no-such-user", manager);
    Reply foreign = server.http.get("/v2/users/" + ours, manager);
    assertError(foreign, 404, 5, "COMMAND-SqyJz");
    assertEquals(unknown.text(), foreign.text());
    assertError(server.http.delete("/v2/users/" + ours, manager), 404, 5, "COMMAND-SqyJz");
    // The org's own manager may; the user itself may read but not delete itself.
    assertEquals(200, server.http.get("/v2/users/" + ours, server.token("m2", org, "ORG_USER_MANAGER")).status());
    String self = server.token(ours, org);
    assertEquals(200, server.http.get("/v2/users/" + ours, self).status());
    assertError(server.http.delete("/v2/users/" + ours, self), 403, 7, "AUTH-AWfge");
    assertEquals(200, server.http.get("/v2/users/" + ours, server.adminToken()).status(), "not deleted");
  }

  @Test
  void tokensThatAreMissingForgedExpiredOrForeignGet401() {
    JsonObject key = Tokens.devKey(server.config.dataDir());
    String issuer = server.config.auth().devIssuerName();
    String audience = server.config.auth().audience();
    String valid = Tokens.sign(server.app.vertx(), key, Tokens.claims(issuer, audience, "admin", org, "IAM_OWNER", 300));
    // A well-made token passes authentication: the answer is about the (unknown) user.
    assertError(server.http.get("/v2/users/x", valid), 404, 5, "COMMAND-SqyJz");

    String expired = Tokens.sign(server.app.vertx(), key, Tokens.claims(issuer, audience, "admin", org, "IAM_OWNER", -120));
    String wrongAudience = Tokens.sign(server.app.vertx(), key, Tokens.claims(issuer, "someone-else", "admin", org, "IAM_OWNER", 300));
    String wrongIssuer = Tokens.sign(server.app.vertx(), key, Tokens.claims("https://evil.test", audience, "admin", org, "IAM_OWNER", 300));
    String tampered = Tokens.withPayload(valid, Tokens.claims(issuer, audience, "someone", org, "IAM_OWNER", 300));
    String algNone = Tokens.unsigned(Tokens.claims(issuer, audience, "admin", org, "IAM_OWNER", 300));
    String otherKeyToken = Tokens.sign(server.app.vertx(), otherKey(), Tokens.claims(issuer, audience, "admin", org, "IAM_OWNER", 300));
    JsonObject noExp = Tokens.claims(issuer, audience, "admin", org, "IAM_OWNER", 300);
    noExp.remove("exp");
    String withoutExpiry = Tokens.sign(server.app.vertx(), key, noExp);

    for (String bad : new String[] {expired, wrongAudience, wrongIssuer, tampered, algNone, otherKeyToken, withoutExpiry,
      "not-a-jwt", "a.b.c"}) {
      assertError(server.http.get("/v2/users/x", bad), 401, 16, "AUTH-7fs1e");
    }
    assertError(server.http.get("/v2/users/x", null), 401, 16, "AUTH-7fs1e");
  }

  @Test
  void schemaViolationsName400TheFieldAndTheRule() {
    String admin = server.adminToken();
    JsonObject missing = new JsonObject().put("username", "x").put("profile", new JsonObject().put("givenName", "G"));
    Reply r1 = server.http.post("/v2/users/human", admin, missing);
    assertError(r1, 400, 3, "API-validation");
    assertTrue(r1.json().getString("message").contains("profile.familyName"), r1.text());
    assertTrue(r1.json().getString("message").contains("(required)"), r1.text());
    assertEquals("profile.familyName", r1.json().getJsonArray("details").getJsonObject(1)
      .getJsonArray("fieldViolations").getJsonObject(0).getString("field"));

    JsonObject tooLong = new JsonObject().put("username", "u".repeat(201))
      .put("profile", new JsonObject().put("givenName", "G").put("familyName", "F"));
    Reply r2 = server.http.post("/v2/users/human", admin, tooLong);
    assertError(r2, 400, 3, "API-validation");
    assertTrue(r2.json().getString("message").contains("username") && r2.text().contains("(maxLength)"), r2.text());

    JsonObject wrongType = new JsonObject().put("username", "u")
      .put("profile", new JsonObject().put("givenName", 42).put("familyName", "F"));
    Reply r3 = server.http.post("/v2/users/human", admin, wrongType);
    assertError(r3, 400, 3, "API-validation");
    assertTrue(r3.json().getString("message").contains("profile.givenName") && r3.text().contains("(type)"), r3.text());

    Reply r4 = server.http.post("/v2/users/human", admin, "{\"username\": \"u\", \"profile\": {", "application/json");
    assertError(r4, 400, 3, "API-malformedJson");
    Reply r5 = server.http.post("/v2/users/human", admin, "{\"username\": \"a\", \"username\": \"b\"}", "application/json");
    assertError(r5, 400, 3, "API-malformedJson");
    assertTrue(r5.text().contains("username"), r5.text());
    Reply r6 = server.http.post("/v2/users/human", admin, "[1,2]", "application/json");
    assertError(r6, 400, 3, "API-malformedJson");
    Reply r7 = server.http.post("/v2/users/human", admin, "[".repeat(40) + "]".repeat(40), "application/json");
    assertError(r7, 400, 3, "API-malformedJson");
    Reply r8 = server.http.get("/v2/users/" + "x".repeat(201), admin);
    assertError(r8, 400, 3, "API-validation");
    assertTrue(r8.text().contains("userId"), r8.text());
    // Nothing of the refused requests was stored.
    assertEquals(0, count("select count(*) from users where username = 'u' or username = 'a'"));
  }

  @Test
  void httpLevelRefusalsHaveTheErrorBodyToo() {
    String admin = server.adminToken();
    assertError(server.http.get("/no/such/path", admin), 404, 5, "API-notFound");
    assertError(server.http.method("PUT", "/v2/users/human", admin), 405, 12, "API-method");
    String big = new JsonObject().put("username", "x".repeat(20_000)).encode();
    assertError(server.http.post("/v2/users/human", admin, big, "application/json"), 413, 3, "API-tooLarge");
    assertError(server.http.post("/v2/users/human", admin, "username=x", "application/x-www-form-urlencoded"),
      415, 3, "API-contentType");
    assertError(server.http.post("/v2/users/human", admin, "{}", null), 415, 3, "API-contentType");
  }

  @Test
  void eventsAreListedForIamOwnersWithFiltersAndPaging() {
    String userId = server.createUser(org, "audited");
    server.http.delete("/v2/users/" + userId, server.adminToken());
    Reply mine = server.http.post("/admin/v1/events/_search", server.adminToken(),
      new JsonObject().put("aggregateTypes", new JsonArray().add("user")).put("aggregateId", userId).put("asc", true));
    assertEquals(200, mine.status(), mine.text());
    JsonArray events = mine.json().getJsonArray("events");
    assertEquals(2, events.size(), events.encodePrettily());
    assertEquals("user.human.added", events.getJsonObject(0).getJsonObject("type").getString("type"));
    assertEquals("user.removed", events.getJsonObject(1).getJsonObject("type").getString("type"));
    assertEquals("admin", events.getJsonObject(1).getJsonObject("editor").getString("userId"));
    assertEquals(org, events.getJsonObject(1).getJsonObject("aggregate").getString("resourceOwner"));

    Reply page1 = server.http.post("/admin/v1/events/_search", server.adminToken(), new JsonObject().put("limit", 2));
    JsonArray first = page1.json().getJsonArray("events");
    assertEquals(2, first.size());
    String cursor = first.getJsonObject(1).getString("position");
    Reply page2 = server.http.post("/admin/v1/events/_search", server.adminToken(),
      new JsonObject().put("limit", 2).put("position", cursor));
    JsonArray second = page2.json().getJsonArray("events");
    assertFalse(second.isEmpty());
    assertTrue(Long.parseLong(second.getJsonObject(0).getString("position")) < Long.parseLong(cursor));

    assertError(server.http.post("/admin/v1/events/_search", server.token("o", org, "ORG_OWNER"), new JsonObject()),
      403, 7, "AUTH-AWfge");
    assertError(server.http.post("/admin/v1/events/_search", server.adminToken(), new JsonObject().put("limit", 5000)),
      400, 3, "API-validation");
  }

  @Test
  void operationalEndpointsAnswerWithoutAToken() {
    assertEquals(200, server.http.get("/healthz", null).status());
    Reply ready = server.http.get("/readyz", null);
    assertEquals(200, ready.status());
    assertEquals("ok", ready.json().getString("database"));
    Reply contract = server.http.get("/openapi.yaml", null);
    assertEquals(200, contract.status());
    assertTrue(contract.text().startsWith("openapi: 3.1"), contract.text().substring(0, 40));
    Reply docs = server.http.get("/docs", null);
    assertEquals(200, docs.status());
    assertTrue(docs.contentType().startsWith("text/html"), docs.contentType());
    assertTrue(docs.text().contains("<code>/v2/users/{userId}/totp</code>") && docs.text().contains("UserService_RegisterTOTP"));
    server.http.get("/healthz", null);
    Reply metrics = server.http.get("/metrics", null);
    assertEquals(200, metrics.status());
    assertTrue(metrics.text().contains("vertx_http_server_requests_total"), "HTTP metrics");
    assertTrue(metrics.text().contains("vertx_pool_"), "pool metrics");
  }

  private static JsonObject otherKey() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("other-key");
      dev.mfaservice.auth.DevIssuer.loadOrCreate(dir, new java.security.SecureRandom());
      JsonObject jwk = Tokens.devKey(dir);
      // Claim to be the trusted key: only the signature can tell them apart.
      return jwk.put("kid", Tokens.devKey(server.config.dataDir()).getString("kid"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertEventRow(String aggregateId, long sequence, String type, String date) throws Exception {
    try (Connection c = TestDatabases.connect(server.database);
         PreparedStatement s = c.prepareStatement(
           "select event_type, created_at, resource_owner, creator from events where aggregate_type = 'user' and aggregate_id = ? and sequence = ?")) {
      s.setString(1, aggregateId);
      s.setLong(2, sequence);
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "event row " + aggregateId + "#" + sequence);
        assertEquals(type, rs.getString(1));
        assertEquals(Instant.parse(date), rs.getTimestamp(2).toInstant());
        assertEquals(org, rs.getString(3));
        assertEquals("admin", rs.getString(4));
      }
    }
  }

  private static long count(String sql) {
    return TestDatabases.count(server.database, sql);
  }
}
