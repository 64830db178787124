package dev.mfaservice.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.impl.Format;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** {@link BodySchema}'s checks of the keywords on single values: type, the string keywords, number bounds. */
final class ScalarKeywords {
  private ScalarKeywords() {
  }

  static Predicate<Object> type(Object type) {
    List<Predicate<Object>> any = new ArrayList<>();
    for (Object name : type instanceof JsonArray names ? names.getList() : List.of(type)) {
      any.add(switch (String.valueOf(name)) {
        case "string" -> v -> v instanceof String;
        case "integer" -> ScalarKeywords::integer;
        case "number" -> v -> integer(v) || v instanceof Double d && Double.isFinite(d);
        case "boolean" -> v -> v instanceof Boolean;
        case "object" -> v -> v instanceof Map || v instanceof JsonObject;
        case "array" -> v -> v instanceof List || v instanceof JsonArray;
        case "null" -> v -> v == null;
        default -> throw new IllegalArgumentException("type " + name);
      });
    }
    if (any.size() == 1) {
      return any.get(0);
    }
    return v -> any.stream().anyMatch(check -> check.test(v));
  }

  static void strings(JsonObject schema, List<Predicate<Object>> checks) {
    if (schema.getValue("enum") instanceof JsonArray values) {
      if (!values.stream().allMatch(String.class::isInstance)) {
        throw new IllegalArgumentException("enum");
      }
      checks.add(values.getList()::contains);
    }
    int min = bound(schema, "minLength", 0);
    int max = bound(schema, "maxLength", Integer.MAX_VALUE);
    Pattern pattern = schema.getValue("pattern") instanceof String p ? Pattern.compile(p) : null;
    String format = schema.getString("format");
    if (min > 0 || max < Integer.MAX_VALUE || pattern != null || format != null) {
      checks.add(v -> {
        if (!(v instanceof String s)) {
          return format == null;  // the string keywords ask nothing of other types; a format there: not sure
        }
        int length = s.codePointCount(0, s.length());
        return length >= min && length <= max && (pattern == null || pattern.matcher(s).find())
          && (format == null || Format.fastFormat(format, s));
      });
    }
  }

  static void numbers(JsonObject schema, List<Predicate<Object>> checks) {
    if (!schema.containsKey("minimum") && !schema.containsKey("maximum")) {
      return;
    }
    long min = whole(schema.getValue("minimum"), Long.MIN_VALUE);
    long max = whole(schema.getValue("maximum"), Long.MAX_VALUE);
    // a plain integer within the bounds; any other number: not sure
    checks.add(v -> !(v instanceof Number) || integer(v) && !(v instanceof BigInteger)
      && ((Number) v).longValue() >= min && ((Number) v).longValue() <= max);
  }

  static boolean integer(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof BigInteger;
  }

  static int bound(JsonObject schema, String key, int otherwise) {
    Object value = schema.getValue(key);
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof Integer i) || i < 0) {
      throw new IllegalArgumentException(key);
    }
    return i;
  }

  private static long whole(Object value, long otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException("a bound that is not a whole number");
    }
    return ((Number) value).longValue();
  }
}
