package dev.mfaservice.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Command;
import dev.mfaservice.support.NodeTests;
import dev.mfaservice.support.Prerequisites;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated-SDK matrix: the seed flows through four more SDKs that Maven generates from the
 * contract (OpenAPI Generator, the pom's version) beside GeneratedJavaSdkTest (okhttp-gson) and
 * TypeScriptSdkTest (typescript-fetch). Every SDK runs the same steps in its own language
 * (JavaNativeSdkFlows, KotlinSdkFlows, src/test/python/seed_flows.py, src/test/node/sdk-axios.test.ts),
 * each reported as a TAP line; here each run must report exactly {@link #STEPS}, all passed, and its
 * TOTP enrolment must be in PostgreSQL. Every answer is checked by the SDK's own models.
 */
class SdkMatrixTest {
  static final List<String> STEPS = List.of("an organization", "a user with verified email and phone",
    "TOTP registered and verified with a code computed here", "the login policy allows OTP email and SMS",
    "OTP email verified with the returned code", "OTP SMS verified with the returned code",
    "a session signed in with a TOTP check", "an unknown user is a 404 read as ErrorResponse", "the contract, read raw");
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  static TestServer server;
  static String baseUrl;

  @BeforeAll
  static void start() {
    server = TestServer.start(SdkMatrixTest.class);
    baseUrl = "http://127.0.0.1:" + server.config.http().port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void javaNative() {
    passes("java --library native", "jn", tap(out -> JavaNativeSdkFlows.run(baseUrl, server.adminToken(), "jn", out)));
  }

  @Test
  void kotlinJvmOkhttp4() {
    passes("kotlin --library jvm-okhttp4", "kt", tap(out -> KotlinSdkFlows.run(baseUrl, server.adminToken(), "kt", out)));
  }

  @Test
  void python() {
    Command.Result probe = Command.exec(List.of("python3", "-c", "import pydantic, urllib3, dateutil, typing_extensions; "
      + "assert int(pydantic.VERSION.split('.')[0]) >= 2, pydantic.VERSION"), TIMEOUT, Map.of(), Path.of("."));
    Prerequisites.require(probe.exit() == 0, "python3 with pydantic 2, urllib3, python-dateutil and typing-extensions: "
      + Command.tail(probe.err(), 300));
    Command.Result run = Command.exec(List.of("python3", "src/test/python/seed_flows.py"), TIMEOUT,
      env("py", Map.of("PYTHONPATH", "target/generated-sdk/python")), Path.of(".")).ok();
    passes("python", "py", NodeTests.parseTap(run.out().lines().toList()));
  }

  @Test
  void typescriptAxios() throws Exception {
    Path compiled = Path.of("target/sdk-ts");
    Path test = compiled.resolve("src/test/node/sdk-axios.test.js");
    assertTrue(Files.isRegularFile(test), "not compiled: Maven's process-test-resources runs tsc (src/test/node/tsconfig.json)");
    Files.writeString(compiled.resolve("package.json"), "{\"type\": \"commonjs\"}\n"); // whatever package.json lies above
    NodeTests.Run run = NodeTests.run(compiled, env("ax", Map.of("NODE_PATH", Path.of("src/test/node/node_modules").toAbsolutePath()
      .toString())), TIMEOUT, compiled.relativize(test).toString());
    passes("typescript-axios", "ax", run.results());
  }

  private static Map<String, String> env(String prefix, Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.putAll(Map.of("MFA_BASE_URL", baseUrl, "MFA_TOKEN", server.adminToken(), "MFA_PREFIX", prefix));
    return env;
  }

  /** What a JVM run of the flows printed, read as node's TAP is. */
  private static List<NodeTests.Result> tap(java.util.function.Consumer<PrintStream> flows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    flows.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return NodeTests.parseTap(bytes.toString(StandardCharsets.UTF_8).lines().toList());
  }

  /** Every step ran, in order, and passed; and the TOTP enrolment of the SDK's user landed in PostgreSQL. */
  private static void passes(String generator, String prefix, List<NodeTests.Result> results) {
    long passed = results.stream().filter(r -> r.outcome() == NodeTests.Outcome.PASSED).count();
    System.out.printf("SDK matrix: %s passed %d of %d steps%n", generator, passed, STEPS.size());
    assertEquals(List.of(), results.stream().filter(r -> r.outcome() != NodeTests.Outcome.PASSED)
      .map(r -> r.name() + ": " + r.outcome() + "\n" + r.detail()).toList(), generator + ": steps that did not pass");
    assertEquals(STEPS, results.stream().map(NodeTests.Result::name).toList(), generator + ": the steps run");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + prefix
      + "-user' and event_type = 'user.human.otp.verified'"), generator + ": the TOTP enrolment");
  }
}
