package dev.mfaservice.app;

import dev.mfaservice.settings.ConfigException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http;
import dev.mfaservice.support.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up as a user meets it: the embedded default keeps data across restarts; wrong settings end in one clear line. */
class StartupTest {

  @Test
  void embeddedDatabaseKeepsDataAcrossARestart() throws IOException {
    Path dataDir = Files.createTempDirectory("mfa-restart");
    Map<String, String> env = new HashMap<>(TestServer.baseEnv(StartupTest.class));
    env.put("MFA_DATA_DIR", dataDir.toString());
    Config config = Config.load(env);
    String userId;
    String token;
    try (Application first = Application.start(config, Clock.systemUTC(), new SecureRandom())) {
      token = dev.mfaservice.auth.DevIssuer.loadOrCreate(dataDir, new SecureRandom())
        .mint(first.vertx(), config.auth(), "admin", "instance", List.of("IAM_OWNER"), 600);
      Http http = new Http(config.http().port());
      String org = http.post("/v2/organizations", token, new io.vertx.core.json.JsonObject().put("name", "Durable"))
        .json().getString("organizationId");
      Http.Reply user = http.post("/v2/users/human", token, new io.vertx.core.json.JsonObject()
        .put("organization", new io.vertx.core.json.JsonObject().put("orgId", org)).put("username", "kept")
        .put("profile", new io.vertx.core.json.JsonObject().put("givenName", "K").put("familyName", "K")));
      assertEquals(201, user.status(), user.text());
      userId = user.json().getString("userId");
    }
    assertTrue(Files.isDirectory(dataDir.resolve("postgres")), "the database lives in the data dir");
    try (Application second = Application.start(config, Clock.systemUTC(), new SecureRandom())) {
      Http.Reply again = new Http(config.http().port()).get("/v2/users/" + userId, token);
      assertEquals(200, again.status(), again.text());
      assertEquals("kept", again.json().getJsonObject("user").getString("username"));
    }
  }

  @Test
  void aPortInUseEndsStartUpNamingThePortAndTheVariable() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      Map<String, String> env = new HashMap<>(TestServer.baseEnv(StartupTest.class));
      env.put("MFA_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      env.put("MFA_DATABASE_URL", TestServer.start(StartupTest.class).closeAndUrl());
      StartupException e = assertThrows(StartupException.class,
        () -> Application.start(Config.load(env), Clock.systemUTC(), new SecureRandom()).close());
      assertTrue(e.getMessage().contains("cannot listen on") && e.getMessage().contains(":" + taken.getLocalPort())
        && e.getMessage().contains("MFA_HTTP_PORT"), e.getMessage());
    }
  }

  @Test
  void anUnreachableDatabaseEndsStartUpWithoutThePassword() {
    Map<String, String> env = new HashMap<>(TestServer.baseEnv(StartupTest.class));
    env.put("MFA_DATABASE_URL", "postgresql://mfa:s3cret-pw@127.0.0.1:" + TestServer.freePort() + "/mfa");
    StartupException e = assertThrows(StartupException.class,
      () -> Application.start(Config.load(env), Clock.systemUTC(), new SecureRandom()).close());
    assertTrue(e.getMessage().startsWith("cannot migrate the database mfa@127.0.0.1:"), e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("refused"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret-pw"));
  }

  @Test
  void badSettingsAreRefusedByName() {
    Map<String, String> env = new HashMap<>();
    env.put("MFA_DATABASE_URL", "mysql://root:hunter2@db/x");
    ConfigException url = assertThrows(ConfigException.class, () -> Config.load(env));
    assertTrue(url.getMessage().startsWith("MFA_DATABASE_URL must be a postgresql or postgres URL"), url.getMessage());
    assertFalse(url.getMessage().contains("hunter2"), url.getMessage());

    ConfigException port = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_HTTP_PORT", "80a")));
    assertEquals("MFA_HTTP_PORT must be a whole number from 0 to 65535, got '80a'", port.getMessage());
    ConfigException alg = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_AUTH_ALGORITHMS", "RS256,none")));
    assertTrue(alg.getMessage().contains("'none'"), alg.getMessage());
    ConfigException hs = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_AUTH_ALGORITHMS", "HS256")));
    assertTrue(hs.getMessage().contains("HS256"), hs.getMessage());
    assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_AUTH_ISSUER", "https://idp.test",
      "MFA_AUTH_DEV_ISSUER", "true")));
    ConfigException devSms = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_AUTH_ISSUER", "https://idp.test",
      "MFA_SMS_PROVIDER", "log")));
    assertTrue(devSms.getMessage().contains("development"), devSms.getMessage());
    assertEquals("", Config.load(Map.of("MFA_AUTH_ISSUER", "https://idp.test",
      "MFA_WEBAUTHN_RP_IDS", "idp.test", "MFA_WEBAUTHN_ORIGINS", "https://idp.test")).sms().provider(), "no SMS provider by default");
    assertEquals("log", Config.load(Map.of()).sms().provider(), "the log provider on a development instance");
    ConfigException twilio = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_SMS_PROVIDER", "twilio",
      "MFA_TWILIO_ACCOUNT_SID", "AC1", "MFA_TWILIO_AUTH_TOKEN", "t")));
    assertTrue(twilio.getMessage().contains("MFA_TWILIO_FROM"), twilio.getMessage());
    ConfigException weak = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_CODES_LOGIN_LENGTH", "4")));
    assertTrue(weak.getMessage().contains("20 bits"), weak.getMessage());
    assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_CODES_LOGIN_EXPIRY_SECONDS", "900")));
    assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_CODES_LOGIN_EXPIRY_SECONDS", "0")));
    ConfigException halfTls = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_HTTP_TLS_CERT", "/etc/cert.pem")));
    assertTrue(halfTls.getMessage().contains("MFA_HTTP_TLS_KEY"), halfTls.getMessage());
    ConfigException anyOrigin = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_HTTP_CORS_ORIGINS", "*")));
    assertTrue(anyOrigin.getMessage().contains("MFA_HTTP_CORS_ORIGINS"), anyOrigin.getMessage());
  }

  @Test
  void environmentOverridesTheDefaultsAndTheDevIssuerFollowsTheExternalOne() {
    Config defaults = Config.load(Map.of());
    assertEquals(8080, defaults.http().port());
    assertEquals(Path.of("./data"), defaults.dataDir());
    assertTrue(defaults.database().url().isEmpty());
    assertTrue(defaults.auth().devIssuer());
    Config external = Config.load(Map.of("MFA_HTTP_PORT", "9090", "MFA_AUTH_ISSUER", "https://idp.test",
      "MFA_WEBAUTHN_RP_IDS", "idp.test", "MFA_WEBAUTHN_ORIGINS", "https://idp.test"));
    assertEquals(9090, external.http().port());
    assertFalse(external.auth().devIssuer(), "SEC A8: no dev issuer beside an external one");
  }

  @Test
  void theTokenCommandPrintsATokenTheRunningDevInstanceAccepts() throws Exception {
    try (TestServer server = TestServer.start(StartupTest.class)) {
      Process p = main(Map.of("MFA_DATA_DIR", server.config.dataDir().toString()),
        "token", "--user", "admin", "--org", "instance", "--role", "IAM_OWNER");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      String token = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      Http.Reply created = server.http.post("/v2/organizations", token, new io.vertx.core.json.JsonObject().put("name", "By CLI"));
      assertEquals(201, created.status(), created.text());
    }
  }

  @Test
  void mainPrintsOneLineForABadSettingAndExitsNonZero() throws Exception {
    Process p = main(Map.of("MFA_HTTP_PORT", "eighty"));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(1, p.exitValue());
    assertEquals("mfa-service: MFA_HTTP_PORT must be a whole number from 0 to 65535, got 'eighty'", err);
  }

  /** Runs Main in its own JVM, as a user would run the jar. */
  private static Process main(Map<String, String> env, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), "dev.mfaservice.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    return pb.start();
  }
}
