package dev.mfaservice.twilioverify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One authenticated call of the Verify API: the credential, the typed input (query and form, Twilio's names),
 * the path's {@code ServiceSid} and {@code Sid} if any, the base URL answers' links start with, and every path parameter.
 */
record VerifyCall(TwilioCredential account, JsonObject input, String serviceSid, String sid, String baseUrl,
                  Map<String, String> path) {

  /** A path parameter by its name in the contract ({@code RateLimitSid}), or null. */
  String param(String name) {
    return path.get(name);
  }

  /** What an operation answers: a status and a JSON body (null = none, for 204). */
  record Reply(int status, JsonObject body) {
  }

  /** An operation of the Verify API. */
  @FunctionalInterface
  interface Handler {
    Future<Reply> handle(VerifyCall call);
  }
}
