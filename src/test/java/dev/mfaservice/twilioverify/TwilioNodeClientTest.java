package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mfaservice.support.CheckingProxy;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.NodeTests;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.VerifyAccount;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Twilio's Node.js helper library (npm {@code twilio}, pinned in src/test/node/package-lock.json), unmodified, against
 * the Verify API: src/test/node/twilio-verify.test.mjs, run with node's test runner, through a forwarder that checks
 * every answer against the Twilio contract. One JUnit test per node test; then the answers' check and the events the
 * client's calls left in PostgreSQL.
 */
class TwilioNodeClientTest {
  private static final Path NODE_DIR = Path.of("src/test/node");
  static FakeTwilio sms;
  static TestServer server;
  static CheckingProxy proxy;
  static VerifyAccount account;

  @BeforeAll
  static void start() {
    sms = FakeTwilio.start();
    Map<String, String> env = new HashMap<>(sms.env());
    env.put("MFA_SMS_ALLOWED_COUNTRY_CODES", "41");
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    // the node test sends to one number again at once, as Twilio allows within a verification's ten minutes
    env.put("MFA_LIMITS_PER_ADDRESS_INTERVAL_SECONDS", "0");
    server = TestServer.start(TwilioNodeClientTest.class, env, Clock.systemUTC());
    account = VerifyAccount.of(server, "Verify Node Org");
    proxy = CheckingProxy.to(server.config.http().port());
  }

  @AfterAll
  static void stop() {
    proxy.close();
    server.close();
    sms.close();
  }

  @TestFactory
  Stream<DynamicTest> twilioNodeLibraryWorksUnchanged() throws Exception {
    assertTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/twilio")),
      "node modules missing: run `npm ci --prefix src/test/node` (Maven's process-test-resources does)");
    Path results = Files.createTempFile("twilio-node", ".json");
    NodeTests.Run run = NodeTests.run(NODE_DIR, Map.of(
      "MFA_BASE_URL", proxy.baseUrl(),
      "VERIFY_ACCOUNT_SID", account.accountSid(),
      "VERIFY_AUTH_TOKEN", account.authToken(),
      "MFA_SMS_API", sms.env().get("MFA_TWILIO_API_URL"),
      "MFA_RESULTS", results.toString()), Duration.ofSeconds(120), "twilio-verify.test.mjs");
    System.out.println(run.log());
    Stream<DynamicTest> nodeTests = run.results().stream().map(r -> dynamicTest("node: " + r.name(), r::check));
    return Stream.concat(nodeTests, Stream.of(
      dynamicTest("node ran every test", () -> assertEquals(4, run.results().size(), run.log())),
      dynamicTest("every answer the library got is the contract's", () -> {
        assertTrue(proxy.seen().size() > 10, "answers seen: " + proxy.seen());
        assertEquals(List.of(), proxy.breaches());
      }),
      dynamicTest("the verification's steps are events in PostgreSQL", () -> {
        String sid = new JsonObject(Files.readString(results)).getString("verification");
        assertEquals(List.of("verify.verification.started", "verify.verification.check_failed",
          "verify.verification.resent", "verify.verification.approved"), TestDatabases.strings(server.database,
          "select event_type from events where aggregate_id = '" + sid + "' order by sequence"));
      }),
      dynamicTest("the TOTP factor was verified once, its entity removed", () -> {
        String factor = new JsonObject(Files.readString(results)).getString("factor");
        assertEquals(List.of("verify.factor.verified"), TestDatabases.strings(server.database,
          "select event_type from events where aggregate_id = '" + factor + "' and event_type = 'verify.factor.verified'"));
        assertEquals(0, TestDatabases.count(server.database, "select count(*) from verify_factors where sid = '" + factor + "'"));
      })));
  }
}
