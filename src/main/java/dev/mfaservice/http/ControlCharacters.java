package dev.mfaservice.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * No string the contract takes may hold a control character (U+0000–U+001F, U+007F–U+009F):
 * PostgreSQL refuses NUL in text, and the others have no place in names, addresses, codes or
 * templates, where they could only break a log line, a header or a message. Refused with 400
 * naming the field, before the schema is checked, in the body's keys and values and in every
 * parameter alike.
 */
final class ControlCharacters {
  private static final String RULE = "controlCharacters";
  private static final String PROBLEM = "String contains a control character";

  private ControlCharacters() {
  }

  static void check(String field, String value) {
    if (value != null && contains(value)) {
      throw SimpleSchema.violation(field, PROBLEM, RULE);
    }
  }

  static void check(JsonObject body) {
    if (body != null) {
      object(body, "");
    }
  }

  private static void object(JsonObject object, String path) {
    for (Map.Entry<String, Object> e : object) {
      String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      check(field, e.getKey());
      value(e.getValue(), field);
    }
  }

  private static void value(Object value, String field) {
    if (value instanceof String s) {
      check(field, s);
    } else if (value instanceof JsonObject o) {
      object(o, field);
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        value(a.getValue(i), field + "[" + i + "]");
      }
    }
  }

  private static boolean contains(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return true;
      }
    }
    return false;
  }
}
