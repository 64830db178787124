package dev.mfaservice.notify;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A urlTemplate link leads only to the hosts the instance lists (SEC B6): a genuine email never carries its code elsewhere. */
class LinkHostsTest {

  private static Reply setEmail(TestServer server, String user, String template) {
    return server.http.post("/v2/users/" + user + "/email", server.adminToken(), new JsonObject()
      .put("email", "linked@acme.test").put("sendCode", new JsonObject().put("urlTemplate", template)));
  }

  @Test
  void anUnlistedHostIsRefusedNamingTheFieldAndNothingIsSent() {
    try (TestServer server = TestServer.start(LinkHostsTest.class, Map.of("MFA_NOTIFY_URL_HOSTS", "login.example.com, Other.Example.com",
      "MFA_LIMITS_PER_ADDRESS_INTERVAL_SECONDS", "0"))) {
      String user = server.createUser(server.createOrg("Links"), "linked");
      Reply evil = setEmail(server, user, "https://evil.test/?c={{.Code}}");
      assertError(evil, 400, 3, "API-urlTemplate");
      assertTrue(evil.json().getString("message").contains("body.sendCode.urlTemplate: the host 'evil.test' is not one of"),
        evil.text());
      assertError(setEmail(server, user, "https://login.example.com.evil.test/?c={{.Code}}"), 400, 3, "API-urlTemplate");
      assertEquals(0, TestDatabases.count(server.database, "select count(*) from outbox"), "nothing to send");
      assertEquals(200, setEmail(server, user, "https://login.example.com/verify?code={{.Code}}").status());
      assertEquals(200, setEmail(server, user, "https://other.example.com/v?c={{.Code}}&u={{.UserID}}").status());
      assertEquals(2, TestDatabases.count(server.database, "select count(*) from outbox"));
    }
  }

  @Test
  void withNoHostsListedADevelopmentInstanceLinksAnywhereAndAProductionOneNowhere() {
    LinkRules dev = new LinkRules(true, Set.of());
    LinkRules production = new LinkRules(false, Set.of());
    UrlTemplate.parse("http://localhost:3000/v?c={{.Code}}", "f", dev);
    ApiError refused = assertThrows(ApiError.class, () -> UrlTemplate.parse("https://login.example.com/?c={{.Code}}", "f", production));
    assertTrue(refused.getMessage().contains("MFA_NOTIFY_URL_HOSTS is empty"), refused.getMessage());
    LinkRules listed = new LinkRules(false, Set.of("login.example.com"));
    UrlTemplate.parse("https://login.example.com/?c={{.Code}}", "f", listed);
    assertThrows(ApiError.class, () -> UrlTemplate.parse("http://login.example.com/?c={{.Code}}", "f", listed), "https only");
  }
}
