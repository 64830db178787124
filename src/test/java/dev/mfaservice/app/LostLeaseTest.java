package dev.mfaservice.app;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Await;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An instance whose machine id lease was taken over (say after a long pause, by another instance)
 * stops creating anything at its next renewal, and says so on /readyz, so a load balancer stops
 * sending it traffic; reads still work.
 */
class LostLeaseTest {

  @Test
  void aLeaseTakenOverStopsIdsAndReadiness() {
    try (TestServer server = TestServer.start(LostLeaseTest.class, Map.of("MFA_IDS_LEASE_SECONDS", "3"))) {
      String admin = server.adminToken();
      server.createOrg("Before");
      Reply ready = server.http.get("/readyz", null);
      assertEquals(200, ready.status(), ready.text());
      assertEquals("ok", ready.json().getString("ids"));
      TestDatabases.execute(server.database, "update machine_leases set owner = 'another-instance' where expires_at > now()");
      Await.until(() -> server.http.get("/readyz", null).status() == 503, "readiness lost with the lease");
      JsonObject body = server.http.get("/readyz", null).json();
      assertEquals("unavailable", body.getString("ids"));
      assertEquals("ok", body.getString("database"));
      assertError(server.http.post("/v2/organizations", admin, new JsonObject().put("name", "After")), 503, 14, "ID-noLease");
      assertEquals(0, TestDatabases.count(server.database, "select count(*) from orgs where name = 'After'"), "nothing created");
      assertEquals(404, server.http.get("/v2/users/404404", admin).status(), "reads still work (an unknown user: 404)");
    }
  }
}
