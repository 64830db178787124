package dev.mfaservice.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mfaservice.support.NodeTests;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ZITADEL's own client libraries from npm, unmodified ({@code @zitadel/client} over gRPC,
 * gRPC-web, Connect JSON and Connect binary; {@code @zitadel/node} over gRPC), against this
 * service: src/test/node/zitadel-clients.test.mjs, run with node's test runner. The node
 * modules come from src/test/node/package-lock.json ({@code npm ci}, done by Maven before the
 * tests). Then what the clients did is checked where it lands: the events in PostgreSQL.
 * browser.test.mjs does gRPC-web from Chromium: where there is none, node skips those tests and
 * Surefire reports them as skipped ({@link NodeTests}); under CI=true they fail.
 */
class ZitadelClientsTest {
  private static final Path NODE_DIR = Path.of("src/test/node");
  private static final List<String> TRANSPORTS = List.of("grpc", "grpc-web", "connect-json", "connect-binary",
    "grpc-tls", "connect-tls");
  static TestServer server;
  /** A second instance on the same database, with TLS on its port (a self-signed certificate for localhost). */
  static TestServer tls;
  static SelfSignedCertificate certificate;
  /** The port of the page browser.test.mjs serves to Chromium: its origin is the one CORS allows. */
  static int browserPort;

  @BeforeAll
  static void start() {
    browserPort = TestServer.freePort();
    server = TestServer.start(ZitadelClientsTest.class, Map.of("MFA_HTTP_CORS_ORIGINS", "http://127.0.0.1:" + browserPort));
    certificate = SelfSignedCertificate.create("localhost");
    tls = TestServer.startOn(server.database, ZitadelClientsTest.class, Map.of("MFA_HTTP_TLS_CERT",
      certificate.certificatePath(), "MFA_HTTP_TLS_KEY", certificate.privateKeyPath(),
      "MFA_DATA_DIR", server.config.dataDir().toString()), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    tls.stopKeepingDatabase();
    server.close();
    certificate.delete();
  }

  /**
   * One JUnit test per node test, passed, failed or skipped as node reported it (browser.test.mjs
   * skips itself without Chromium: skipped here too, and failed under CI=true), then the events.
   */
  @TestFactory
  Stream<DynamicTest> zitadelClientLibrariesWorkOverEveryTransport() throws Exception {
    assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/@zitadel/client")),
      "node modules missing: run `npm ci --prefix src/test/node` (Maven's process-test-resources does)");
    Path results = Files.createTempFile("zitadel-clients", ".json");
    NodeTests.Run run = NodeTests.run(NODE_DIR, Map.of(
      "MFA_BASE_URL", "http://127.0.0.1:" + server.config.http().port(),
      "MFA_TOKEN", server.adminToken(),
      "MFA_RESULTS", results.toString(),
      "MFA_TLS_BASE_URL", "https://127.0.0.1:" + tls.config.http().port(),
      "MFA_TLS_CA", certificate.certificatePath(),
      "MFA_BROWSER_PORT", Integer.toString(browserPort)), Duration.ofSeconds(180),
      "zitadel-clients.test.mjs", "browser.test.mjs");
    System.out.println(run.log());
    Stream<DynamicTest> nodeTests = run.results().stream().map(r -> dynamicTest("node: " + r.name(), r::check));
    return Stream.concat(nodeTests, Stream.of(
      dynamicTest("the node suite ran tests and ended with exit 0", () -> {
        assertFalse(run.results().isEmpty(), "no test results from node:\n" + run.log());
        assertEquals(0, run.exit(), "the node suite failed:\n" + run.log());
      }),
      dynamicTest("what each transport's client did is in PostgreSQL, as events", () -> eventsLanded(results))));
  }

  private static void eventsLanded(Path results) throws Exception {
    JsonObject created = new JsonObject(Files.readString(results));
    for (String transport : TRANSPORTS) {
      JsonObject ids = created.getJsonObject(transport);
      assertTrue(ids != null, transport + " created nothing");
      String user = ids.getString("userId");
      assertEquals(1, count("select count(*) from events where aggregate_id = '" + user
        + "' and event_type = 'user.human.otp.verified'"), transport + ": TOTP verified, as an event");
      assertEquals(1, count("select count(*) from events where aggregate_id = '" + ids.getString("sessionId")
        + "' and event_type = 'session.added'"), transport + ": the session, as an event");
    }
  }

  private static long count(String sql) {
    return TestDatabases.count(server.database, sql);
  }
}
