package dev.mfaservice.errors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Renders an {@link ApiError} as the wire body of API.md: {code, message "text (id)", details}. */
public final class ErrorBody {
  public static final String ERROR_DETAIL_TYPE = "type.googleapis.com/zitadel.v1.ErrorDetail";

  private ErrorBody() {
  }

  /** The wire message: the text, then the error id in parentheses. */
  public static String message(ApiError error) {
    return error.getMessage() + " (" + error.id() + ")";
  }

  public static JsonObject of(ApiError error) {
    JsonArray details = new JsonArray()
      .add(new JsonObject()
        .put("@type", ERROR_DETAIL_TYPE)
        .put("id", error.id())
        .put("message", error.getMessage()));
    error.extraDetails().forEach(extra -> details.add(new JsonObject(extra)));
    return new JsonObject()
      .put("code", error.code().number())
      .put("message", message(error))
      .put("details", details);
  }
}
