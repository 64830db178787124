package dev.mfaservice.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ZITADEL's own client libraries from npm, unmodified ({@code @zitadel/client} over gRPC,
 * gRPC-web, Connect JSON and Connect binary; {@code @zitadel/node} over gRPC), against this
 * service: src/test/node/zitadel-clients.test.mjs, run with node's test runner. The node
 * modules come from src/test/node/package-lock.json ({@code npm ci}, done by Maven before the
 * tests). Then what the clients did is checked where it lands: the events in PostgreSQL.
 * browser.test.mjs does gRPC-web from Chromium (skipped where there is none).
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

  @Test
  void zitadelClientLibrariesWorkOverEveryTransport() throws Exception {
    assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/@zitadel/client")),
      "node modules missing: run `npm ci --prefix src/test/node` (Maven's process-test-resources does)");
    Path results = Files.createTempFile("zitadel-clients", ".json");
    Path output = Files.createTempFile("zitadel-clients", ".log");
    ProcessBuilder run = new ProcessBuilder("node", "--test", "--test-reporter=spec", "--test-concurrency=1",
      "zitadel-clients.test.mjs", "browser.test.mjs")
      .directory(NODE_DIR.toFile())
      .redirectErrorStream(true)
      .redirectOutput(output.toFile());
    run.environment().put("MFA_BASE_URL", "http://127.0.0.1:" + server.config.http().port());
    run.environment().put("MFA_TOKEN", server.adminToken());
    run.environment().put("MFA_RESULTS", results.toString());
    run.environment().put("MFA_TLS_BASE_URL", "https://127.0.0.1:" + tls.config.http().port());
    run.environment().put("MFA_TLS_CA", certificate.certificatePath());
    run.environment().put("MFA_BROWSER_PORT", Integer.toString(browserPort));
    Process node = run.start();
    boolean finished = node.waitFor(180, TimeUnit.SECONDS);
    String log = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(log);
    assertTrue(finished, "the node suite did not finish in 180 s");
    assertEquals(0, node.exitValue(), "the node suite failed:\n" + log);
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
