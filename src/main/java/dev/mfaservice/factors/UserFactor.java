package dev.mfaservice.factors;

import dev.mfaservice.org.SecondFactorType;
import io.vertx.core.json.JsonObject;

/**
 * One second factor a user has, as the factor lists show it: its type (which names its
 * {@code AUTHENTICATION_METHOD_TYPE_*} and its AuthFactor oneof field), whether it is ready, and that
 * entry's content ({} or e.g. {id, name}).
 */
public record UserFactor(SecondFactorType type, boolean ready, JsonObject detail) {
  public static UserFactor ready(SecondFactorType type) {
    return new UserFactor(type, true, new JsonObject());
  }
}
