package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.Service;
import dev.mfaservice.support.ContractCheck;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestClock;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.TwilioVerifyClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.function.Executable;

/**
 * A running service with a test clock, an org's credential and twilio-java pointed at it, for the TOTP Entities,
 * Factors and Challenges tests; codes computed by the tests' own RFC 6238 ({@link Rfc6238}), not the service's.
 */
final class VerifyTotpFixture implements AutoCloseable {
  final TestClock clock = new TestClock();
  final TestServer server;
  final TwilioRestClient client;
  final String accountSid;
  final String authToken;

  VerifyTotpFixture(Class<?> owner) {
    server = TestServer.start(owner, Map.of(), clock);
    String org = server.createOrg("Verify TOTP Org " + owner.getSimpleName());
    JsonObject credential = server.http.post("/v2/organizations/" + org + "/twilio_credentials", server.adminToken(),
      new JsonObject()).json();
    accountSid = credential.getString("accountSid");
    authToken = credential.getString("authToken");
    client = TwilioVerifyClient.of(server.config.http().port(), accountSid, authToken);
  }

  /** A Service of this org with TOTP issuer "Acme Corp", 8 digits and 60 s steps. */
  String service() {
    return Service.creator("Acme").setTotpIssuer("Acme Corp").setTotpCodeLength(8).setTotpTimeStep(60).create(client)
      .getSid();
  }

  static String identity() {
    return "user-" + UUID.randomUUID();
  }

  /** The code of {@code secret} at the service's now + {@code steps} time steps. */
  String code(String secret, String mac, int digits, int period, int steps) {
    long step = Math.floorDiv(clock.instant().getEpochSecond(), period) + steps;
    return Rfc6238.hotp(Rfc6238.base32Decode(secret), step, digits, mac);
  }

  String code(String secret) {
    return code(secret, "HmacSHA1", 8, 60, 0);
  }

  /** A code of the right length that is none of the codes within two steps of now. */
  String wrong(String secret, String mac, int digits, int period) {
    for (long candidate = 0; ; candidate++) {
      String code = String.format("%0" + digits + "d", candidate);
      boolean valid = false;
      for (int s = -2; s <= 2; s++) {
        valid |= code.equals(code(secret, mac, digits, period, s));
      }
      if (!valid) {
        return code;
      }
    }
  }

  String wrong(String secret) {
    return wrong(secret, "HmacSHA1", 8, 60);
  }

  static int error(Executable call) {
    return assertThrows(ApiException.class, call).getCode();
  }

  long count(String sql) {
    return TestDatabases.count(server.database, sql);
  }

  long events(String aggregateId, String type) {
    return count("select count(*) from events where aggregate_id = '" + aggregateId + "' and event_type = '" + type + "'");
  }

  /** A call with this credential outside twilio-java (to see the raw body), its answer checked against the contract. */
  Http.Reply raw(String method, String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.config.http().port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8))).build();
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      Http.Reply reply = new Http.Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
        response.body(), response, null);
      ContractCheck.get().verify(method, path, reply);
      return reply;
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
