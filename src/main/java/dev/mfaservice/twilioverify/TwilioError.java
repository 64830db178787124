package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;

/** A refusal in Twilio's terms: its error code, the HTTP status and the message of Twilio's error body. */
final class TwilioError extends RuntimeException {
  private final int code;
  private final int status;
  /** Seconds for Retry-After; 0: none. */
  private final long retryAfter;

  TwilioError(int code, int status, String message) {
    this(code, status, message, 0);
  }

  private TwilioError(int code, int status, String message, long retryAfter) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /**
   * Retry-After of a Verify 429 is at most this: twilio-java's HTTP client (Apache's default retry strategy) answers a
   * 429 by sleeping for Retry-After and sending the request once more; a send limit's hour or a Bucket's day would hold
   * an app's thread that long. A retry before the wait is refused again, so a short value only costs the app one try.
   */
  static final long MAX_RETRY_AFTER_SECONDS = 5;

  /** A send limit reached: 429 20429 "Too many requests", with the limit's wait (its RetryInfo) for Retry-After. */
  static TwilioError tooManyRequests(dev.mfaservice.errors.ApiError limit) {
    return tooManyRequests(limit.retryAfterSeconds().map(Long::parseLong).orElse(1L));
  }

  /** 429 20429 "Too many requests", with {@code seconds} (at most {@link #MAX_RETRY_AFTER_SECONDS}) for Retry-After. */
  static TwilioError tooManyRequests(long seconds) {
    return new TwilioError(20429, 429, "Too many requests", Math.max(1, Math.min(seconds, MAX_RETRY_AFTER_SECONDS)));
  }

  long retryAfter() {
    return retryAfter;
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

  /** An invalid request of the Push/TOTP resources (Entities, Factors, Challenges): 400 60306, naming the field. */
  static TwilioError invalidRequest(String name) {
    return new TwilioError(60306, 400, "Invalid request: " + name);
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
