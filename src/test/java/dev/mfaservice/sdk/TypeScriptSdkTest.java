package dev.mfaservice.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed flows through the TypeScript SDK generated from the contract (typescript-fetch):
 * src/test/node/sdk.test.ts, which Maven's process-test-resources checks with tsc in strict mode
 * and compiles to target/sdk-ts, run here with node's test runner against this service. The ids
 * to create are chosen here, so that the self-service user's token can be minted beforehand.
 * Then what the TypeScript flow did is checked where it lands: the events in PostgreSQL.
 */
class TypeScriptSdkTest {
  private static final Path COMPILED = Path.of("target/sdk-ts");
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TypeScriptSdkTest.class);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theGeneratedTypeScriptSdkDrivesTheSeedFlows() throws Exception {
    Path test = COMPILED.resolve("src/test/node/sdk.test.js");
    assertTrue(Files.isRegularFile(test), "not compiled: Maven's process-test-resources runs tsc (src/test/node/tsconfig.json)");
    // the compiled SDK is CommonJS, whatever package.json lies above target/
    Files.writeString(COMPILED.resolve("package.json"), "{\"type\": \"commonjs\"}\n");
    JsonObject ids = new JsonObject().put("org", "ts-org").put("lockOrg", "ts-lock-org").put("totpUser", "ts-totp-user")
      .put("selfUser", "ts-self-user").put("otpUser", "ts-otp-user").put("lockUser", "ts-lock-user").put("limitUser", "ts-limit-user")
      .put("recoveryOrg", "ts-recovery-org").put("recoveryUser", "ts-recovery-user");
    Path results = Files.createTempFile("sdk-ts", ".json");
    Path output = Files.createTempFile("sdk-ts", ".log");
    ProcessBuilder run = new ProcessBuilder("node", "--test", "--test-reporter=spec", "--test-concurrency=1", test.toString())
      .redirectErrorStream(true)
      .redirectOutput(output.toFile());
    run.environment().put("MFA_BASE_URL", "http://127.0.0.1:" + server.config.http().port());
    run.environment().put("MFA_TOKEN", server.adminToken());
    run.environment().put("MFA_IDS", ids.encode());
    run.environment().put("MFA_SELF_TOKEN", server.token(ids.getString("selfUser"), ids.getString("org")));
    run.environment().put("MFA_RESULTS", results.toString());
    Process node = run.start();
    boolean finished = node.waitFor(120, TimeUnit.SECONDS);
    String log = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(log);
    assertTrue(finished, "the TypeScript SDK suite did not finish in 120 s");
    assertEquals(0, node.exitValue(), "the TypeScript SDK suite failed:\n" + log);

    JsonObject created = new JsonObject(Files.readString(results));
    assertEquals(1, events(created.getString("totpUser"), "user.human.otp.verified"), "TOTP verified (v2)");
    assertEquals(1, events(created.getString("selfUser"), "user.human.otp.verified"), "TOTP verified (auth v1)");
    assertEquals(1, events(created.getString("lockUser"), "user.locked"), "the user locked");
    assertEquals(1, events(created.getString("sessionId"), "session.added"), "the session");
    assertEquals(1, events(created.getString("recoveryUser"), "user.human.recoverycodes.check.succeeded"), "a recovery code spent");
  }

  private static long events(String aggregateId, String type) {
    assertTrue(aggregateId != null && aggregateId.matches("[a-z0-9-]+"), "an id: " + aggregateId);
    return TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + aggregateId
      + "' and event_type = '" + type + "'");
  }
}
