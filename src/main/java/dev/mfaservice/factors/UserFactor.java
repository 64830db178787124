package dev.mfaservice.factors;

import io.vertx.core.json.JsonObject;

/**
 * One second factor a user has, as the factor lists show it: its {@code AUTHENTICATION_METHOD_TYPE_*} suffix, whether
 * it is ready, and its entry in ZITADEL's AuthFactor oneof ({@code otp}, {@code u2f}, {@code otpSms}, {@code otpEmail};
 * null when AuthFactor has none) with that entry's content ({} or e.g. {id, name}).
 */
public record UserFactor(String methodType, boolean ready, String authFactorField, JsonObject detail) {
  public static UserFactor ready(String methodType, String authFactorField) {
    return new UserFactor(methodType, true, authFactorField, new JsonObject());
  }
}
