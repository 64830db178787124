package dev.mfaservice.session;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A session by login name tells a caller nothing about users it may not see (SEC A7). */
class LoginNameProbeTest {
  static TestServer server;
  static String orgA;
  static String userA;

  @BeforeAll
  static void start() {
    server = TestServer.start(LoginNameProbeTest.class);
    orgA = server.createOrg("Probe A");
    String orgB = server.createOrg("Probe B");
    userA = server.createUser(orgA, "dup");
    server.createUser(orgB, "dup");
    server.createUser(orgB, "single");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Reply byLoginName(String token, String loginName) {
    return server.http.post("/v2/sessions", token, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("loginName", loginName))));
  }

  @Test
  void aCallerWithoutRightsGetsTheSameAnswerForTwoOneOrNoUsersOfThatName() {
    String stranger = server.token("stranger", server.createOrg("Probe C"));
    Reply twoOrgs = byLoginName(stranger, "dup");
    Reply oneOrg = byLoginName(stranger, "single");
    Reply none = byLoginName(stranger, "nobody-at-all");
    for (Reply r : new Reply[] {twoOrgs, oneOrg, none}) {
      assertError(r, 404, 5, "COMMAND-SqyJz");
      assertEquals(none.text(), r.text());
    }
  }

  @Test
  void aManagerOfOneOrgSignsInItsOwnUserAlthoughTheNameIsTakenElsewhere() {
    Reply r = byLoginName(server.token("mgr", orgA, "ORG_USER_MANAGER"), "dup");
    assertEquals(201, r.status(), r.text());
    String session = r.json().getString("sessionId");
    Reply read = server.http.get("/v2/sessions/" + session + "?sessionToken=" + r.json().getString("sessionToken"),
      server.adminToken());
    assertEquals(userA, read.json().getJsonObject("session").getJsonObject("factors").getJsonObject("user").getString("id"));
  }

  @Test
  void aCallerWhoSeesBothIsAskedForTheUserId() {
    assertError(byLoginName(server.adminToken(), "dup"), 400, 3, "SESSION-ambiguousLoginName");
  }
}
