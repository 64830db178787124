package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.auth.DevIssuer;
import dev.mfaservice.support.ApiAssertions;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.TcpForwarder;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The database goes away for a while (a restart, a failover) and comes back (issue 26): while it
 * is away every call is answered 503 UNAVAILABLE with the error body and Retry-After, never 500,
 * and /readyz says not ready; when it is back, calls succeed again without a restart. Here the
 * database is behind a TCP port that is closed (every connection cut, new ones refused) and
 * opened again.
 */
class DatabaseOutageTest {
  @Test
  void whileTheDatabaseIsAwayCallsAre503AndAfterwardsTheyWorkWithoutARestart() throws Exception {
    URI real = URI.create(TestServer.start(DatabaseOutageTest.class).closeAndUrl());
    int port = TestServer.freePort();
    Map<String, String> env = new HashMap<>(TestServer.baseEnv(DatabaseOutageTest.class));
    env.put("MFA_DATABASE_URL", real.toString().replace(real.getHost() + ":" + real.getPort(), "127.0.0.1:" + port));
    Config config = Config.load(env);
    TcpForwarder database = TcpForwarder.open(port, real.getHost(), real.getPort());
    try (Application app = Application.start(config, Clock.systemUTC(), new SecureRandom())) {
      String token = DevIssuer.loadOrCreate(Path.of(env.get("MFA_DATA_DIR")), new SecureRandom())
        .mint(app.vertx(), config.auth(), "admin", "instance", List.of("IAM_OWNER"), 600);
      Http http = new Http(config.http().port());
      assertEquals(201, addOrg(http, token).status());

      database.close();
      for (int i = 0; i < 5; i++) {
        Http.Reply write = addOrg(http, token);
        ApiAssertions.assertError(write, 503, 14, "API-databaseUnavailable");
        assertEquals("1", write.raw().headers().firstValue("Retry-After").orElse(null), "Retry-After");
        ApiAssertions.assertError(http.get("/v2/users/404404", token), 503, 14, "API-databaseUnavailable");
      }
      assertEquals(503, http.get("/readyz", null).status());
      java.net.http.HttpResponse<String> rpc = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + config.http().port() + "/zitadel.org.v2.OrganizationService/AddOrganization"))
        .header("Content-Type", "application/json").header("Connect-Protocol-Version", "1").header("Authorization", "Bearer " + token)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"outage rpc\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(503, rpc.statusCode(), rpc.body());
      assertEquals("unavailable", new JsonObject(rpc.body()).getString("code"), "Connect: " + rpc.body());

      long back = System.nanoTime();
      database = TcpForwarder.open(port, real.getHost(), real.getPort());
      Http.Reply again = addOrg(http, token);
      for (int tries = 0; again.status() != 201 && tries < 50; tries++) {
        Thread.sleep(100);
        again = addOrg(http, token);
      }
      assertEquals(201, again.status(), again.text());
      System.out.printf("database back → first write accepted in %d ms%n", (System.nanoTime() - back) / 1_000_000);
      assertEquals(200, http.get("/readyz", null).status());
    } finally {
      database.close();
    }
  }

  private static Http.Reply addOrg(Http http, String token) {
    return http.post("/v2/organizations", token, new JsonObject().put("name", "outage " + System.nanoTime()));
  }
}
