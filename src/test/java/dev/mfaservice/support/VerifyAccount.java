package dev.mfaservice.support;

import com.twilio.http.TwilioRestClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An org's Twilio Verify credential, made through the API by its admin, and the two ways the tests call Verify with
 * it: twilio-java's own client, and a raw form POST (for answers twilio-java would retry or wait on, such as a 429),
 * whose answer is checked against the Twilio contract as every other.
 */
public record VerifyAccount(String accountSid, String authToken) {

  /** A new org on {@code server} and a credential of it. */
  public static VerifyAccount of(TestServer server, String orgName) {
    String org = server.createOrg(orgName);
    JsonObject credential = server.http.post("/v2/organizations/" + org + "/twilio_credentials", server.adminToken(),
      new JsonObject()).json();
    return new VerifyAccount(credential.getString("accountSid"), credential.getString("authToken"));
  }

  public TwilioRestClient client(TestServer server) {
    return TwilioVerifyClient.of(server.config.http().port(), accountSid, authToken);
  }

  public String basic() {
    return "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
  }

  /** POST {@code form} (already form-encoded) to {@code path} on {@code server}; the answer checked against the contract. */
  public Http.Reply post(TestServer server, String path, String form) throws IOException, InterruptedException {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.config.http().port() + path))
      .header("Authorization", basic()).header("Content-Type", "application/x-www-form-urlencoded")
      .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    Http.Reply reply = new Http.Reply(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(""),
      answer.body(), answer, null);
    ContractCheck.get().verify("POST", path, reply);
    return reply;
  }
}
