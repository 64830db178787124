package dev.mfaservice.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Twilio Verify as an app calls it: a credential of the bench org (POST /v2/organizations/bench-org/twilio_credentials
 * with the admin token, made by {@link #create}, blocking: at set-up, off the event loop), then form-encoded POSTs with
 * HTTP Basic (Account SID, auth token), as Twilio's clients send them.
 */
final class VerifyAccount {
  static final String ORG = "bench-org";
  private final Api api;
  private final String basic;

  private VerifyAccount(Api api, String basic) {
    this.api = api;
    this.basic = basic;
  }

  static VerifyAccount create(Api api) {
    JsonObject credential = new JsonObject(api.call(HttpMethod.POST, "/v2/organizations/" + ORG + "/twilio_credentials",
      new JsonObject(), true).await());
    return new VerifyAccount(api, "Basic " + Base64.getEncoder().encodeToString((credential.getString("accountSid") + ":"
      + credential.getString("authToken")).getBytes(StandardCharsets.UTF_8)));
  }

  /** A new Verify Service (Twilio's defaults: TOTP 30 s, 6 digits, skew 1), blocking: its SID. */
  String newService(String friendlyName) {
    return new JsonObject(post("/v2/Services", "FriendlyName=" + encode(friendlyName)).await()).getString("sid");
  }

  /** A form-encoded POST to {@code path} with the credential: the answer's body, or a failure if not 2xx. */
  Future<String> post(String path, String form) {
    return api.form(path, form, basic);
  }

  /** The answer if its status is approved; else a refusal ({@link Request#refused}). */
  static Future<String> approved(String body) {
    return "approved".equals(new JsonObject(body).getString("status")) ? Future.succeededFuture(body)
      : Request.refused("not approved: " + body);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
