package dev.mfaservice.recovery;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GenerateRecoveryCodes / RemoveRecoveryCodes over HTTP against PostgreSQL: what the caller sees, rows and events. */
class RecoveryCodesApiTest {
  static TestServer server;
  static String admin;
  static String org;
  static String owner;

  @BeforeAll
  static void start() {
    server = TestServer.start(RecoveryCodesApiTest.class);
    admin = server.adminToken();
    org = server.createOrg("Recovery Org");
    owner = server.token("owner", org, "ORG_OWNER");
    assertEquals(200, allow(owner, "SECOND_FACTOR_TYPE_RECOVERY_CODES").status());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Reply allow(String token, String type) {
    return server.http.post("/management/v1/policies/login/second_factors", token, new JsonObject().put("type", type));
  }

  static Reply generate(String user, String token, JsonObject body) {
    return server.http.call("POST", "/v2/users/" + user + "/recovery_codes", token, body, java.util.Map.of());
  }

  static List<String> codes(Reply r) {
    assertEquals(200, r.status(), r.text());
    return r.json().getJsonArray("recoveryCodes").stream().map(String.class::cast).toList();
  }

  @Test
  void aNewSetIsTenGroupedCodesShownOnceAndStoredOnlyAsKeyedHashes() throws Exception {
    String user = server.createUser(org, "keeper");
    Reply r = generate(user, admin, new JsonObject());
    List<String> codes = codes(r);
    assertEquals(10, codes.size());
    assertEquals(10, new HashSet<>(codes).size(), "no two codes alike");
    codes.forEach(c -> assertTrue(c.matches("[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}"), c));
    JsonObject details = r.json().getJsonObject("details");
    assertEquals(org, details.getString("resourceOwner"));
    assertNotNull(details.getString("creationDate"));
    assertEquals(10, TestDatabases.count(server.database, "select count(*) from recovery_codes where user_id = '" + user + "' and used_at is null"));
    String stored = rows("select encode(code_hash, 'hex') || ' ' || key_id from recovery_codes where user_id = '" + user + "'");
    String events = rows("select payload::text from events where aggregate_id = '" + user + "'");
    assertTrue(events.contains("\"count\":10") || events.contains("\"count\": 10"), events);
    for (String code : codes) {
      String bare = code.replace("-", "");
      assertFalse(stored.contains(bare) || stored.contains(HexFormat.of().formatHex(bare.getBytes())), "a code is stored in plain");
      assertFalse(events.contains(code) || events.contains(bare), "a code is in an event");
    }
    for (String hash : stored.split("\n")) {
      assertFalse(events.contains(hash.split(" ")[0]), "a hash is in an event");
    }
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.human.recoverycodes.added'"));
    assertTrue(methods(user).contains("AUTHENTICATION_METHOD_TYPE_RECOVERY_CODE"));
  }

  @Test
  void parallelGenerationsLeaveExactlyOneWholeSet() throws Exception {
    String user = server.createUser(org, "parallel");
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(5);
    List<List<String>> sets = new ArrayList<>();
    try {
      List<java.util.concurrent.Callable<Reply>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(() -> generate(user, admin, new JsonObject().put("count", 3)));
      }
      for (var f : threads.invokeAll(calls)) {
        sets.add(codes(f.get()));
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(3, TestDatabases.count(server.database, "select count(*) from recovery_codes where user_id = '" + user + "'"));
    assertEquals(5, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.human.recoverycodes.added'"));
    long working = sets.stream().filter(set -> server.http.post("/v2/sessions", admin, new JsonObject().put("checks",
      new JsonObject().put("user", new JsonObject().put("userId", user)).put("recoveryCode", new JsonObject().put("code", set.get(0)))))
      .status() == 201).count();
    assertEquals(1, working, "only the set written last works");
  }

  @Test
  void theCountIsBoundedAndARefusedCountChangesNothing() {
    String user = server.createUser(org, "counter");
    assertEquals(20, codes(generate(user, admin, new JsonObject().put("count", 20))).size());
    assertEquals(1, codes(generate(user, admin, new JsonObject().put("count", 1))).size());
    long events = TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user + "'");
    assertError(generate(user, admin, new JsonObject().put("count", 21)), 400, 3, "RECOVERY-count");
    assertError(generate(user, admin, new JsonObject().put("count", -1)), 400, 3, "API-validation");
    assertError(generate(user, admin, new JsonObject().put("count", "ten")), 400, 3, "API-validation");
    assertEquals(events, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user + "'"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from recovery_codes where user_id = '" + user + "'"));
  }

  @Test
  void onlyTheUserOrAManagerOfItsOrgAndOnlyWhereThePolicyAllows() {
    String user = server.createUser(org, "guarded");
    assertError(generate(user, server.token("stranger", "elsewhere"), new JsonObject()), 404, 5, "COMMAND-SqyJz");
    assertError(generate(user, server.token("other-owner", "elsewhere", "ORG_OWNER"), new JsonObject()), 404, 5, "COMMAND-SqyJz");
    assertError(generate("404404", admin, new JsonObject()), 404, 5, "COMMAND-SqyJz");
    assertEquals(10, codes(generate(user, server.token(user, org), null)).size(), "the user itself");
    assertEquals(10, codes(generate(user, owner, new JsonObject())).size(), "a manager of its org");

    String strict = server.createOrg("No Recovery Org");
    String other = server.createUser(strict, "unallowed");
    assertError(generate(other, admin, new JsonObject()), 400, 9, "POLICY-factorNotAllowed");
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from recovery_codes where user_id = '" + other + "'"));
  }

  @Test
  void removeDropsTheSetOnceAndTheCodesStopWorking() {
    String user = server.createUser(org, "remover");
    codes(generate(user, admin, new JsonObject()));
    assertError(server.http.delete("/v2/users/" + user + "/recovery_codes", server.token("stranger", "elsewhere")), 404, 5, "COMMAND-SqyJz");
    Reply removed = server.http.delete("/v2/users/" + user + "/recovery_codes", admin);
    assertEquals(200, removed.status(), removed.text());
    assertNotNull(removed.json().getJsonObject("details").getString("changeDate"));
    assertError(server.http.delete("/v2/users/" + user + "/recovery_codes", admin), 404, 5, "RECOVERY-none");
    assertFalse(methods(user).contains("AUTHENTICATION_METHOD_TYPE_RECOVERY_CODE"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and event_type = 'user.human.recoverycodes.removed'"));
  }

  @Test
  void removingTheLastOtherFactorKeepsTheRecoveryCodes() {
    String user = server.createUser(org, "last-factor");
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin,
      new JsonObject().put("code", Rfc6238.code(secret, System.currentTimeMillis() / 1000))).status());
    codes(generate(user, admin, new JsonObject()));
    assertEquals(200, server.http.delete("/v2/users/" + user + "/totp", admin).status());
    assertEquals(List.of("AUTHENTICATION_METHOD_TYPE_RECOVERY_CODE"), methods(user));
    assertEquals(10, TestDatabases.count(server.database, "select count(*) from recovery_codes where user_id = '" + user + "'"));
  }

  static List<String> methods(String user) {
    return methodsOf(server, admin, user);
  }

  static List<String> methodsOf(TestServer server, String admin, String user) {
    Reply r = server.http.get("/v2/users/" + user + "/authentication_methods", admin);
    assertEquals(200, r.status(), r.text());
    JsonArray types = r.json().getJsonArray("authMethodTypes", new JsonArray());
    return types.stream().map(String.class::cast).toList();
  }

  static String rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabases.connect(server.database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return String.join("\n", out);
  }

}
