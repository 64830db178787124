package dev.mfaservice.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.impl.Format;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A request body's schema compiled once into checks, for the keywords the contract uses. It answers one question:
 * is this body surely valid? Yes lets the body through without the generic JSON-schema validator, which interprets
 * the schema afresh for every request (and compiles its patterns again): about a seventh of a sign-in's service CPU
 * (JFR). No means "invalid, or not sure" (a number that is not a plain integer, a format on a non-string): the
 * generic validator then decides and words the error as always. A schema with any other keyword is not compiled.
 * The check is never looser than the generic validator: BodySchemaTest compares the two on generated bodies.
 */
final class BodySchema {
  private static final Set<String> KNOWN = Set.of("type", "$ref", "properties", "required", "additionalProperties",
    "items", "minItems", "maxItems", "enum", "pattern", "minLength", "maxLength", "format", "minimum", "maximum", "allOf",
    "description", "title", "example", "examples", "default");
  private final JsonObject contract;
  /** Compiled $ref targets, by reference; a placeholder while one is being compiled (recursive schemas). */
  private final Map<String, Check[]> refs = new HashMap<>();

  private interface Check extends Predicate<Object> {
  }

  private BodySchema(JsonObject contract) {
    this.contract = contract;
  }

  /** The surely-valid test of {@code schema} (may hold local $refs into {@code contract}), if every keyword is known. */
  static Optional<Predicate<Object>> compile(JsonObject contract, JsonObject schema) {
    try {
      return Optional.of(new BodySchema(contract).node(schema));
    } catch (IllegalArgumentException unknownKeyword) {
      return Optional.empty();
    }
  }

  private Check node(JsonObject schema) {
    if (schema.getClass() != JsonObject.class) {
      throw new IllegalArgumentException("not plain JSON");  // e.g. vertx-openapi's proxies, which resolve on reading
    }
    for (String key : schema.fieldNames()) {
      if (!KNOWN.contains(key) && !key.startsWith("x-")) {
        throw new IllegalArgumentException(key);
      }
    }
    List<Check> checks = new ArrayList<>();
    if (schema.getValue("$ref") instanceof String ref) {
      checks.add(reference(ref));
    }
    if (schema.containsKey("type")) {
      checks.add(type(schema.getValue("type")));
    }
    if (schema.getValue("allOf") instanceof JsonArray all) {
      all.forEach(each -> checks.add(node((JsonObject) each)));
    }
    strings(schema, checks);
    numbers(schema, checks);
    objects(schema, checks);
    arrays(schema, checks);
    Check[] all = checks.toArray(Check[]::new);
    return value -> {
      for (Check check : all) {
        if (!check.test(value)) {
          return false;
        }
      }
      return true;
    };
  }

  private Check reference(String ref) {
    Check[] target = refs.get(ref);
    if (target == null) {
      target = new Check[1];
      refs.put(ref, target);
      target[0] = node(EnumNumbers.resolve(contract, new JsonObject().put("$ref", ref)));
    }
    Check[] compiled = target;
    return value -> compiled[0].test(value);
  }

  private static Check type(Object type) {
    List<Check> any = new ArrayList<>();
    for (Object name : type instanceof JsonArray names ? names.getList() : List.of(type)) {
      any.add(switch (String.valueOf(name)) {
        case "string" -> v -> v instanceof String;
        case "integer" -> BodySchema::integer;
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

  private static void strings(JsonObject schema, List<Check> checks) {
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

  private static void numbers(JsonObject schema, List<Check> checks) {
    if (!schema.containsKey("minimum") && !schema.containsKey("maximum")) {
      return;
    }
    long min = whole(schema.getValue("minimum"), Long.MIN_VALUE);
    long max = whole(schema.getValue("maximum"), Long.MAX_VALUE);
    // a plain integer within the bounds; any other number: not sure
    checks.add(v -> !(v instanceof Number) || integer(v) && !(v instanceof BigInteger)
      && ((Number) v).longValue() >= min && ((Number) v).longValue() <= max);
  }

  private void objects(JsonObject schema, List<Check> checks) {
    JsonObject declared = schema.getJsonObject("properties", new JsonObject());
    Map<String, Check> properties = new HashMap<>();
    declared.forEach(p -> properties.put(p.getKey(), node((JsonObject) p.getValue())));
    List<String> required = schema.getJsonArray("required", new JsonArray()).getList();
    Object additional = schema.getValue("additionalProperties");
    Check others = additional == null || Boolean.TRUE.equals(additional) ? v -> true
      : Boolean.FALSE.equals(additional) ? v -> false : node((JsonObject) additional);
    if (properties.isEmpty() && required.isEmpty() && additional == null) {
      return;
    }
    checks.add(v -> {
      Map<?, ?> map = v instanceof JsonObject o ? o.getMap() : v instanceof Map<?, ?> m ? m : null;
      if (map == null) {
        return true;
      }
      for (String name : required) {
        if (!map.containsKey(name)) {
          return false;
        }
      }
      for (Map.Entry<?, ?> field : map.entrySet()) {
        Check check = properties.getOrDefault(String.valueOf(field.getKey()), others);
        if (!check.test(field.getValue())) {
          return false;
        }
      }
      return true;
    });
  }

  private void arrays(JsonObject schema, List<Check> checks) {
    Check items = schema.getValue("items") instanceof JsonObject s ? node(s) : v -> true;
    int min = bound(schema, "minItems", 0);
    int max = bound(schema, "maxItems", Integer.MAX_VALUE);
    if (!schema.containsKey("items") && min == 0 && max == Integer.MAX_VALUE) {
      return;
    }
    checks.add(v -> {
      List<?> list = v instanceof JsonArray a ? a.getList() : v instanceof List<?> l ? l : null;
      return list == null || list.size() >= min && list.size() <= max && list.stream().allMatch(items);
    });
  }

  private static boolean integer(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof BigInteger;
  }

  private static int bound(JsonObject schema, String key, int otherwise) {
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
