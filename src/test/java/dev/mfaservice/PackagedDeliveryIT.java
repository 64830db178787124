package dev.mfaservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.ServiceProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, as deployed, sends codes through its real transports: an SMS through twilio-java to a
 * Twilio-speaking server, an email over SMTP. The unit tests run on Maven's test class path; only the jar shows that
 * the libraries the transports need are packaged (a test-scope declaration once dropped one twilio-java needs, and
 * the jar failed at start with MFA_SMS_PROVIDER=twilio while every test passed).
 */
class PackagedDeliveryIT {
  private static final Path JAR = Path.of("target/mfa-service.jar").toAbsolutePath();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theJarSendsAnSmsThroughTwilioAndAnEmailOverSmtp() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "no " + JAR + ": `package` builds it before the integration tests");
    Path dir = Files.createTempDirectory("packaged-delivery");
    try (FakeTwilio twilio = FakeTwilio.start(); Mailbox mail = Mailbox.start()) {
      Map<String, String> settings = new HashMap<>(twilio.env());
      settings.putAll(mail.env());
      try (ServiceProcess service = ServiceProcess.start(JAR, dir, "service.log", settings)) {
        String token = token(dir);
        String org = call(service, "POST", "/v2/organizations", "Bearer " + token, "application/json",
          "{\"name\":\"Packaged\"}").getString("organizationId");
        JsonObject credential = call(service, "POST", "/v2/organizations/" + org + "/twilio_credentials", "Bearer " + token,
          "application/json", "{}");
        String basic = "Basic " + Base64.getEncoder().encodeToString((credential.getString("accountSid") + ":"
          + credential.getString("authToken")).getBytes(StandardCharsets.UTF_8));
        String va = call(service, "POST", "/v2/Services", basic, "application/x-www-form-urlencoded", "FriendlyName=Packaged")
          .getString("sid");
        call(service, "POST", "/v2/Services/" + va + "/Verifications", basic, "application/x-www-form-urlencoded",
          "To=%2B41791234567&Channel=sms");
        call(service, "POST", "/v2/Services/" + va + "/Verifications", basic, "application/x-www-form-urlencoded",
          "To=ada%40packaged.test&Channel=email");

        assertTrue(twilio.await("+41791234567", 1, 20_000).get(0).body().matches("Ihr Packaged-Bestätigungscode lautet: \\d{6}"),
          service.logTail(20));
        assertEquals("Packaged: your verification code", Mailbox.subject(mail.await("ada@packaged.test", 1, 20_000).get(0)));
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** An IAM_OWNER token from the jar's own {@code token} command, in the service's directory (its ./data). */
  private static String token(Path dir) throws Exception {
    Process p = new ProcessBuilder(ServiceProcess.java(), "-jar", JAR.toString(), "token", "--user", "admin", "--org",
      "instance", "--role", "IAM_OWNER").directory(dir.toFile()).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "token: " + out);
    return out;
  }

  private JsonObject call(ServiceProcess service, String method, String path, String auth, String type, String body)
      throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
      .header("Authorization", auth).header("Content-Type", type)
      .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(answer.statusCode() / 100 == 2, path + " → " + answer.statusCode() + " " + answer.body() + "\n"
      + service.logTail(20));
    return new JsonObject(answer.body());
  }
}
