package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.Service;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.TwilioVerifyClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verify Services through twilio-java's own classes against the running service (issue 28), and the org
 * credentials they authenticate with over our API. Every answer is checked against its contract.
 */
class VerifyServicesTest {
  static TestServer server;
  static String org;
  static TwilioRestClient client;

  @BeforeAll
  static void start() {
    server = TestServer.start(VerifyServicesTest.class);
    org = server.createOrg("Verify Org");
    JsonObject credential = addCredential(org, server.adminToken()).json();
    client = TwilioVerifyClient.of(server.config.http().port(), credential.getString("accountSid"),
      credential.getString("authToken"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Http.Reply addCredential(String orgId, String token) {
    return server.http.post("/v2/organizations/" + orgId + "/twilio_credentials", token, new JsonObject());
  }

  @Test
  void aServiceIsCreatedFetchedUpdatedAndDeletedWithTwilioJava() {
    Service created = Service.creator("Acme Login").setCodeLength(7).setTotpIssuer("Acme").setTotpTimeStep(45)
      .setTotpCodeLength(8).setTotpSkew(2).setPsd2Enabled(true).setCustomCodeEnabled(true).create(client);
    assertTrue(created.getSid().matches("VA[0-9a-f]{32}"), created.getSid());
    assertEquals(7, created.getCodeLength());
    assertEquals(Map.of("issuer", "Acme", "time_step", 45, "code_length", 8, "skew", 2), created.getTotp());
    assertEquals("http://verify.twilio.com/v2/Services/" + created.getSid(), created.getUrl().toString());
    assertEquals(created.getUrl() + "/Verifications", created.getLinks().get("verifications"));

    Service fetched = Service.fetcher(created.getSid()).fetch(client);
    assertEquals("Acme Login", fetched.getFriendlyName());
    assertTrue(fetched.getPsd2Enabled());
    assertFalse(fetched.getLookupEnabled());

    Service updated = Service.updater(created.getSid()).setFriendlyName("Acme").setCodeLength(4).update(client);
    assertEquals("Acme", updated.getFriendlyName());
    assertEquals(4, updated.getCodeLength());
    assertEquals(8, ((Map<?, ?>) updated.getTotp()).get("code_length"), "fields not sent stay");

    assertTrue(Service.deleter(created.getSid()).delete(client));
    assertEquals(20404, assertThrows(ApiException.class, () -> Service.fetcher(created.getSid()).fetch(client)).getCode());
  }

  @Test
  void defaultsAreTwilios() {
    Service created = Service.creator("Defaults").create(client);
    assertEquals(6, created.getCodeLength());
    assertEquals(Map.of("issuer", "Defaults", "time_step", 30, "code_length", 6, "skew", 1), created.getTotp());
    assertNotNull(created.getDateCreated());
  }

  @Test
  void threeServicesAreReadInPagesOfTwo() {
    String pagingOrg = server.createOrg("Paging Org");
    JsonObject credential = addCredential(pagingOrg, server.adminToken()).json();
    TwilioRestClient paging = TwilioVerifyClient.of(server.config.http().port(), credential.getString("accountSid"),
      credential.getString("authToken"));
    List<String> sids = new ArrayList<>();
    for (String name : List.of("One", "Two", "Three")) {
      sids.add(Service.creator(name).create(paging).getSid());
    }
    List<String> read = new ArrayList<>();
    Service.reader().setPageSize(2L).read(paging).forEach(s -> read.add(s.getSid()));
    assertEquals(sids, read);
    var first = Service.reader().setPageSize(2L).firstPage(paging);
    assertEquals(2, first.getRecords().size());
    assertTrue(first.hasNextPage());
  }

  @Test
  void invalidParametersAre60200NamingThem() {
    assertInvalid("CodeLength", () -> Service.creator("x").setCodeLength(3).create(client));
    assertInvalid("CodeLength", () -> Service.creator("x").setCodeLength(11).create(client));
    assertInvalid("FriendlyName", () -> Service.creator("x".repeat(33)).create(client));
    assertInvalid("Totp.TimeStep", () -> Service.creator("x").setTotpTimeStep(61).create(client));
    assertInvalid("Totp.CodeLength", () -> Service.creator("x").setTotpCodeLength(2).create(client));
    assertInvalid("Totp.Skew", () -> Service.creator("x").setTotpSkew(3).create(client));
    String sid = Service.creator("Valid").create(client).getSid();
    assertInvalid("CodeLength", () -> Service.updater(sid).setCodeLength(20).update(client));
    assertInvalid("PageSize", () -> Service.reader().setPageSize(1001L).read(client).iterator().next());
  }

  @Test
  void withoutOrWithAWrongCredentialTheAnswerIs401With20003() {
    Http.Reply none = server.http.get("/v2/Services", null);
    assertEquals(401, none.status());
    assertEquals(new JsonObject().put("code", 20003).put("message", "Authenticate")
      .put("more_info", "https://www.twilio.com/docs/errors/20003").put("status", 401), none.json());
    assertEquals("Basic realm=\"Twilio API\"", none.raw().headers().firstValue("WWW-Authenticate").orElse(null),
      "a client that waits for the challenge is asked for Basic");
    JsonObject credential = addCredential(org, server.adminToken()).json();
    TwilioRestClient wrong = TwilioVerifyClient.of(server.config.http().port(), credential.getString("accountSid"),
      "0".repeat(32));
    ApiException e = assertThrows(ApiException.class, () -> Service.creator("x").create(wrong));
    assertEquals(20003, e.getCode());
    assertEquals(401, e.getStatusCode());
  }

  @Test
  void anotherOrgsServiceIsNotFound() {
    String sid = Service.creator("Mine").create(client).getSid();
    String otherOrg = server.createOrg("Other Verify Org");
    JsonObject credential = addCredential(otherOrg, server.adminToken()).json();
    TwilioRestClient other = TwilioVerifyClient.of(server.config.http().port(), credential.getString("accountSid"),
      credential.getString("authToken"));
    for (Runnable call : List.<Runnable>of(() -> Service.fetcher(sid).fetch(other),
      () -> Service.updater(sid).setFriendlyName("theirs").update(other), () -> Service.deleter(sid).delete(other))) {
      ApiException e = assertThrows(ApiException.class, call::run);
      assertEquals(20404, e.getCode());
      assertEquals(404, e.getStatusCode());
    }
    assertEquals("Mine", Service.fetcher(sid).fetch(client).getFriendlyName());
    Service.reader().read(other).forEach(s -> assertFalse(s.getSid().equals(sid)));
  }

  @Test
  void credentialsAreForTheOrgsAdminTheTokenShownOnceAndARemovedOneRefused() {
    String path = "/v2/organizations/" + org + "/twilio_credentials";
    assertEquals(403, addCredential(org, server.token("owner", "elsewhere", "ORG_OWNER")).status());
    assertEquals(403, addCredential(org, server.token("manager", org, "ORG_USER_MANAGER")).status());
    Http.Reply added = addCredential(org, server.token("owner", org, "ORG_OWNER"));
    assertEquals(201, added.status());
    String sid = added.json().getString("accountSid");
    String token = added.json().getString("authToken");
    assertTrue(token.matches("[0-9a-f]{32}"));
    Http.Reply list = server.http.get(path, server.adminToken());
    assertEquals(200, list.status());
    assertTrue(list.text().contains(sid));
    assertFalse(list.text().contains(token), "the token is shown once only");
    TwilioRestClient byOwner = TwilioVerifyClient.of(server.config.http().port(), sid, token);
    assertNotNull(Service.creator("Owner's").create(byOwner).getSid());
    assertEquals(200, server.http.delete(path + "/" + sid, server.adminToken()).status());
    assertEquals(20003, assertThrows(ApiException.class, () -> Service.creator("x").create(byOwner)).getCode());
    assertEquals(404, server.http.delete(path + "/" + sid, server.adminToken()).status());
  }

  @Test
  void anUnknownSidOrPathIs20404() {
    assertEquals(20404, assertThrows(ApiException.class, () -> Service.fetcher("VA" + "0".repeat(32)).fetch(client)).getCode());
    assertEquals(20404, assertThrows(ApiException.class, () -> Service.fetcher("nope").fetch(client)).getCode());
  }

  private static void assertInvalid(String parameter, Runnable call) {
    ApiException e = assertThrows(ApiException.class, call::run);
    assertEquals(60200, e.getCode(), e.getMessage());
    assertEquals("Invalid parameter: " + parameter, e.getMessage());
    assertEquals(400, e.getStatusCode());
  }
}
