package dev.mfaservice.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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
  private final Map<String, List<Predicate<Object>>> refs = new HashMap<>();

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

  private Predicate<Object> node(JsonObject schema) {
    if (schema.getClass() != JsonObject.class) {
      throw new IllegalArgumentException("not plain JSON");  // e.g. vertx-openapi's proxies, which resolve on reading
    }
    for (String key : schema.fieldNames()) {
      if (!KNOWN.contains(key) && !key.startsWith("x-")) {
        throw new IllegalArgumentException(key);
      }
    }
    List<Predicate<Object>> checks = new ArrayList<>();
    if (schema.getValue("$ref") instanceof String ref) {
      checks.add(reference(ref));
    }
    if (schema.containsKey("type")) {
      checks.add(ScalarKeywords.type(schema.getValue("type")));
    }
    if (schema.getValue("allOf") instanceof JsonArray all) {
      all.forEach(each -> checks.add(node((JsonObject) each)));
    }
    ScalarKeywords.strings(schema, checks);
    ScalarKeywords.numbers(schema, checks);
    objects(schema, checks);
    arrays(schema, checks);
    List<Predicate<Object>> all = List.copyOf(checks);
    return value -> {
      for (Predicate<Object> check : all) {
        if (!check.test(value)) {
          return false;
        }
      }
      return true;
    };
  }

  private Predicate<Object> reference(String ref) {
    List<Predicate<Object>> target = refs.get(ref);
    if (target == null) {
      target = new ArrayList<>(1);  // filled once compiled: a recursive schema meets it empty, and reads it later
      refs.put(ref, target);
      target.add(node(EnumNumbers.resolve(contract, new JsonObject().put("$ref", ref))));
    }
    List<Predicate<Object>> compiled = target;
    return value -> compiled.get(0).test(value);
  }

  private void objects(JsonObject schema, List<Predicate<Object>> checks) {
    JsonObject declared = schema.getJsonObject("properties", new JsonObject());
    Map<String, Predicate<Object>> properties = new HashMap<>();
    declared.forEach(p -> properties.put(p.getKey(), node((JsonObject) p.getValue())));
    List<String> required = schema.getJsonArray("required", new JsonArray()).getList();
    Object additional = schema.getValue("additionalProperties");
    Predicate<Object> others = additional == null || Boolean.TRUE.equals(additional) ? v -> true
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
        Predicate<Object> check = properties.getOrDefault(String.valueOf(field.getKey()), others);
        if (!check.test(field.getValue())) {
          return false;
        }
      }
      return true;
    });
  }

  private void arrays(JsonObject schema, List<Predicate<Object>> checks) {
    Predicate<Object> items = schema.getValue("items") instanceof JsonObject s ? node(s) : v -> true;
    int min = ScalarKeywords.bound(schema, "minItems", 0);
    int max = ScalarKeywords.bound(schema, "maxItems", Integer.MAX_VALUE);
    if (!schema.containsKey("items") && min == 0 && max == Integer.MAX_VALUE) {
      return;
    }
    checks.add(v -> {
      List<?> list = v instanceof JsonArray a ? a.getList() : v instanceof List<?> l ? l : null;
      return list == null || list.size() >= min && list.size() <= max && list.stream().allMatch(items);
    });
  }

}
