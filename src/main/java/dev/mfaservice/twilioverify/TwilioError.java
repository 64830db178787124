package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;

/** A refusal in Twilio's terms: its error code, the HTTP status and the message of Twilio's error body. */
final class TwilioError extends RuntimeException {
  private final int code;
  private final int status;

  TwilioError(int code, int status, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
  }

  static TwilioError authenticate() {
    return new TwilioError(20003, 401, "Authenticate");
  }

  static TwilioError notFound(String path) {
    return new TwilioError(20404, 404, "The requested resource " + path + " was not found");
  }

  static TwilioError invalidParameter(String name) {
    return new TwilioError(60200, 400, "Invalid parameter: " + name);
  }

  int status() {
    return status;
  }

  /** Twilio's body: never {@code type}/{@code title} (they switch twilio-python to its RFC 9457 exception). */
  JsonObject body() {
    return new JsonObject().put("code", code).put("message", getMessage())
      .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status);
  }
}
