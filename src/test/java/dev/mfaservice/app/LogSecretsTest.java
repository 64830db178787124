package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.SoftAuthenticator;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * With the service's own logback.xml at MFA_LOG_LEVEL=DEBUG and TRACE, a whole OTP email, OTP SMS
 * and sign-in flow over real SMTP and a Twilio-speaking server writes no credential, code, secret,
 * token or full phone number (SEC S4), although the libraries underneath log plenty at those levels.
 */
class LogSecretsTest {
  private static final String PHONE = "+41797000042";

  @ParameterizedTest
  @ValueSource(strings = {"DEBUG", "TRACE"})
  void noSecretReachesTheLog(String level) throws Exception {
    List<String> lines = new ArrayList<>();
    List<String> secrets = new ArrayList<>(List.of(FakeTwilio.TOKEN, PHONE, PHONE.substring(1),
      Base64.getEncoder().encodeToString((FakeTwilio.ACCOUNT + ":" + FakeTwilio.TOKEN).getBytes())));
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    try (Mailbox mail = Mailbox.start(); FakeTwilio twilio = FakeTwilio.start()) {
      configure(logging, "logback.xml", level, lines);
      Map<String, String> env = new HashMap<>(mail.env());
      env.putAll(twilio.env());
      env.put("MFA_LIMITS_PER_ADDRESS_INTERVAL_SECONDS", "0");
      try (TestServer server = TestServer.start(LogSecretsTest.class, env, java.time.Clock.systemUTC())) {
        flow(server, mail, twilio, secrets);
      }
    } finally {
      configure(logging, "logback-test.xml", null, null);
    }
    // the wrong code of the flow is refused with a DEBUG line of the service's own
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("DEBUG dev.mfaservice.http.ErrorResponder request refused")),
      "the log level was in force: " + level);
    String all = String.join("\n", lines);
    for (String secret : secrets) {
      assertTrue(!all.contains(secret), "the log holds a secret (" + secret.length() + " chars) at " + level + ": "
        + lines.stream().filter(l -> l.contains(secret)).findFirst().orElse(""));
    }
  }

  /** Sign-in codes by email and SMS and a TOTP, each secret the flow sees added to {@code secrets}. */
  private static void flow(TestServer server, Mailbox mail, FakeTwilio twilio, List<String> secrets) {
    String admin = server.adminToken();
    secrets.add(admin);
    String org = server.createOrg("Quiet");
    JsonObject policy = new JsonObject();
    for (String type : new String[] {"SECOND_FACTOR_TYPE_OTP_EMAIL", "SECOND_FACTOR_TYPE_OTP_SMS"}) {
      assertEquals(200, server.http.call("POST", "/management/v1/policies/login/second_factors", admin,
        policy.put("type", type), Map.of("x-zitadel-orgid", org)).status());
    }
    String user = server.createUser(org, "quiet");
    String base = "/v3alpha/users/" + user;
    String emailId = server.http.post(base + "/otp_email", admin, new JsonObject().put("email",
      new JsonObject().put("address", "quiet@acme.test"))).json().getString("otpEmailId");
    String emailCode = Mailbox.find(mail.await("quiet@acme.test", 1, 10_000).get(0), "code is ([A-Z0-9]{6})");
    secrets.add(emailCode);
    assertEquals(400, server.http.post(base + "/otp_email/" + emailId + "/verify", admin, new JsonObject().put("code", "WRONG1")).status());
    assertEquals(200, server.http.post(base + "/otp_email/" + emailId + "/verify", admin, new JsonObject().put("code", emailCode)).status());
    String smsId = server.http.post(base + "/otp_sms", admin, new JsonObject().put("phone",
      new JsonObject().put("number", PHONE))).json().getString("otpSmsId");
    String smsCode = FakeTwilio.code(twilio.await(PHONE, 1, 10_000).get(0), "^([A-Z0-9]{6}) is your");
    secrets.add(smsCode);
    assertEquals(200, server.http.post(base + "/otp_sms/" + smsId + "/verify", admin, new JsonObject().put("code", smsCode)).status());
    String secret = server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject()).json().getString("secret");
    secrets.add(secret);
    String code = Rfc6238.code(secret, System.currentTimeMillis() / 1000);
    assertEquals(200, server.http.post("/v2/users/" + user + "/totp/verify", admin, new JsonObject().put("code", code)).status());
    JsonObject session = server.http.post("/v2/sessions", admin, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
      .put("challenges", new JsonObject().put("otpSms", new JsonObject()))).json();
    secrets.add(session.getString("sessionToken"));
    String login = FakeTwilio.code(twilio.await(PHONE, 2, 10_000).get(1), "^(\\d{8}) is your");
    secrets.add(login);
    JsonObject changed = server.http.call("PATCH", "/v2/sessions/" + session.getString("sessionId"), admin,
      new JsonObject().put("sessionToken", session.getString("sessionToken"))
        .put("checks", new JsonObject().put("otpSms", new JsonObject().put("code", login))), Map.of()).json();
    secrets.add(changed.getString("sessionToken"));
    recoveryCodes(server, admin, org, user, secrets);
    securityKey(server, admin, org, secrets);
  }

  /** A set of recovery codes, a sign-in with one and a wrong one: no code, and no stored hash of one, may be logged. */
  private static void recoveryCodes(TestServer server, String admin, String org, String user, List<String> secrets) {
    assertEquals(200, server.http.call("POST", "/management/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_RECOVERY_CODES"), Map.of("x-zitadel-orgid", org)).status());
    List<String> codes = server.http.post("/v2/users/" + user + "/recovery_codes", admin, new JsonObject())
      .json().getJsonArray("recoveryCodes").stream().map(String.class::cast).toList();
    for (String code : codes) {
      secrets.add(code);
      secrets.add(code.replace("-", ""));
    }
    try (java.sql.Connection c = dev.mfaservice.support.TestDatabases.connect(server.database);
         java.sql.Statement s = c.createStatement();
         java.sql.ResultSet rs = s.executeQuery("select code_hash from recovery_codes where user_id = '" + user + "'")) {
      while (rs.next()) {
        secrets.add(java.util.HexFormat.of().formatHex(rs.getBytes(1)));
        secrets.add(Base64.getEncoder().encodeToString(rs.getBytes(1)));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    int[] expected = {201, 400};
    String[] tried = {codes.get(0), "22222-22222"};
    for (int i = 0; i < tried.length; i++) {
      assertEquals(expected[i], server.http.post("/v2/sessions", admin, new JsonObject().put("checks", new JsonObject()
        .put("user", new JsonObject().put("userId", user)).put("recoveryCode", new JsonObject().put("code", tried[i]))))
        .status());
    }
  }

  /** A security key enrolled (one refused credential first) and used to sign in: nothing the browser sent is logged. */
  private static void securityKey(TestServer server, String admin, String org, List<String> secrets) {
    int allowed = server.http.call("POST", "/management/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_U2F"), Map.of("x-zitadel-orgid", org)).status();
    assertTrue(allowed == 200 || allowed == 409, "U2F allowed: " + allowed);
    String user = server.createUser(org, "quiet-key");
    String origin = "http://localhost:" + server.config.http().port();
    JsonObject started = server.http.post("/v2/users/" + user + "/u2f", admin, new JsonObject()).json();
    JsonObject options = started.getJsonObject("publicKeyCredentialCreationOptions");
    SoftAuthenticator key = new SoftAuthenticator(SoftAuthenticator.Alg.ES256);
    String path = "/v2/users/" + user + "/u2f/" + started.getString("u2fId");
    JsonObject foreign = key.create(options, "https://phish.example");
    addResponse(secrets, foreign);
    assertEquals(400, server.http.post(path, admin, new JsonObject().put("publicKeyCredential", foreign)
      .put("tokenName", "k")).status());
    JsonObject credential = key.create(options, origin);
    addResponse(secrets, credential);
    assertEquals(200, server.http.post(path, admin, new JsonObject().put("publicKeyCredential", credential)
      .put("tokenName", "k")).status());
    JsonObject session = server.http.post("/v2/sessions", admin, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
      .put("challenges", new JsonObject().put("webAuthN", new JsonObject()))).json();
    secrets.add(session.getString("sessionToken"));
    JsonObject request = session.getJsonObject("challenges").getJsonObject("webAuthN")
      .getJsonObject("publicKeyCredentialRequestOptions");
    JsonObject assertion = key.get(request, origin);
    addResponse(secrets, assertion);
    assertEquals(200, server.http.call("PATCH", "/v2/sessions/" + session.getString("sessionId"), admin, new JsonObject()
      .put("checks", new JsonObject().put("webAuthN", new JsonObject().put("credentialAssertionData", assertion))),
      Map.of()).status());
  }

  private static void addResponse(List<String> secrets, JsonObject credential) {
    credential.getJsonObject("response").forEach(field -> {
      if (field.getValue() instanceof String value && value.length() > 16) {
        secrets.add(value);
      }
    });
  }

  /** Loads a logback configuration from the class path; with {@code level}, the service's own at that level, captured. */
  private static void configure(LoggerContext context, String resource, String level, List<String> into) throws Exception {
    context.reset();
    if (level != null) {
      context.putProperty("MFA_LOG_LEVEL", level);
      context.putProperty("MFA_ACCESS_LOG_LEVEL", level);
    }
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(LogSecretsTest.class.getClassLoader().getResource(resource));
    if (into != null) {
      AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          if (event.getLoggerName().startsWith("com.icegreen")) {
            return; // the test's own SMTP server, not the service
          }
          synchronized (into) {
            into.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage()
              + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage()));
          }
        }
      };
      capture.setContext(context);
      capture.start();
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAndStopAllAppenders(); // thousands of lines: kept from the build's output
      root.addAppender(capture);
    }
  }
}
