package dev.mfaservice.twilioverify;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Twilio's object parameters, sent as JSON strings ({@code Metadata}, {@code HiddenDetails}, {@code Details.Fields}). */
final class FormJson {
  private FormJson() {
  }

  /** A stringified JSON object with string values only, or null when absent; else 400/60306 naming {@code name}. */
  static JsonObject stringMap(String text, String name) {
    if (text == null) {
      return null;
    }
    JsonObject map = object(text, name);
    if (map.stream().anyMatch(e -> !(e.getValue() instanceof String))) {
      throw TwilioError.invalidRequest(name);
    }
    return map;
  }

  static JsonObject object(String text, String name) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw TwilioError.invalidRequest(name);
    }
  }
}
