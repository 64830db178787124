package dev.mfaservice.webauthn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mfaservice.support.NodeTests;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ZITADEL's client library and a real browser enrol security keys and sign in with them. webauthn-clients.test.mjs:
 * {@code @zitadel/client} over gRPC, Connect JSON and Connect binary with a node software authenticator.
 * webauthn-browser.test.mjs drives Chromium
 * with a CDP virtual authenticator on a page of http://localhost:{page port} (the one WebAuthn origin configured
 * here; both page ports may call the API, CORS). Then the key and the session are checked where they land: in
 * PostgreSQL. Without Chromium node skips, and so do these tests (failed under CI=true, see {@link NodeTests}).
 */
class SecurityKeyBrowserTest {
  private static final Path NODE_DIR = Path.of("src/test/node");
  static TestServer server;
  static int pagePort;
  static int otherPort;

  @BeforeAll
  static void start() {
    pagePort = TestServer.freePort();
    otherPort = TestServer.freePort();
    server = TestServer.start(SecurityKeyBrowserTest.class, Map.of(
      "MFA_WEBAUTHN_ORIGINS", "http://localhost:" + pagePort,
      "MFA_HTTP_CORS_ORIGINS", "http://localhost:" + pagePort + ",http://localhost:" + otherPort));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @TestFactory
  Stream<DynamicTest> chromiumEnrolsAndSignsInWithAVirtualSecurityKey() throws Exception {
    Path results = Files.createTempFile("webauthn-browser", ".json");
    Path clientResults = Files.createTempFile("webauthn-clients", ".json");
    NodeTests.Run run = NodeTests.run(NODE_DIR, Map.of(
      "MFA_BASE_URL", "http://127.0.0.1:" + server.config.http().port(),
      "MFA_TOKEN", server.adminToken(),
      "MFA_RESULTS", results.toString(),
      "MFA_CLIENT_RESULTS", clientResults.toString(),
      "MFA_KEY_ORIGIN", "http://localhost:" + pagePort,
      "MFA_PAGE_PORT", Integer.toString(pagePort),
      "MFA_OTHER_PORT", Integer.toString(otherPort)), Duration.ofSeconds(180), "webauthn-clients.test.mjs",
      "webauthn-browser.test.mjs");
    System.out.println(run.log());
    Stream<DynamicTest> nodeTests = run.results().stream().map(r -> dynamicTest("node: " + r.name(), r::check));
    return Stream.concat(nodeTests, Stream.of(
      dynamicTest("the node suite ran and ended with exit 0", () -> {
        assertFalse(run.results().isEmpty(), "no test results from node:\n" + run.log());
        assertEquals(0, run.exit(), "the node suite failed:\n" + run.log());
      }),
      dynamicTest("each client's key and session are in PostgreSQL", () -> clientsLanded(clientResults)),
      dynamicTest("the browser's key and session are in PostgreSQL", () -> landed(results))));
  }

  private static void clientsLanded(Path results) throws Exception {
    JsonObject created = new JsonObject(Files.readString(results));
    for (String transport : new String[] {"grpc", "connect-json", "connect-binary"}) {
      JsonObject ids = created.getJsonObject(transport);
      assertFalse(ids == null, transport + " made nothing");
      assertEquals(1, TestDatabases.count(server.database, "select count(*) from webauthn_keys where id = '"
        + ids.getString("u2fId") + "' and verified and sign_count = 1"), transport + ": the key, used once");
      assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '"
        + ids.getString("userId") + "' and event_type = 'user.human.u2f.token.verified'"), transport);
    }
  }

  private static void landed(Path results) throws Exception {
    String text = Files.readString(results);
    JsonObject created = text.isBlank() ? new JsonObject() : new JsonObject(text);
    if (created.getString("userId") == null) {
      return; // node skipped (no Chromium): nothing was made
    }
    String user = created.getString("userId");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from webauthn_keys where user_id = '" + user
      + "' and verified and name = 'chromium key' and sign_count >= 0 and 'usb' = any(transports)"));
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '"
      + created.getString("sessionId") + "' and event_type = 'session.changed' and payload->'done' ? 'webAuthN'"));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from webauthn_keys where user_id = '"
      + created.getString("refusedUserId") + "' and verified"), "the other origin's key stayed pending");
  }
}
