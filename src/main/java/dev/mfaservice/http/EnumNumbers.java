package dev.mfaservice.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * grpc-gateway reads a protobuf enum by name or by number; the contract describes such enums by
 * name only (SDKs get a string enum) and lists the numbers in {@code x-enum-numbers} (index =
 * number). This turns the numbers of a request's top-level body fields and of its parameters
 * into names before validation, so {@code {"type": 3}} and {@code {"type": "SECOND_FACTOR_TYPE_OTP_EMAIL"}}
 * are the same request. A number with no name stays a number and fails validation.
 */
final class EnumNumbers {
  private static final String EXTENSION = "x-enum-numbers";
  private final Map<String, JsonArray> bodyFields;
  private final Map<String, JsonArray> parameters;

  private EnumNumbers(Map<String, JsonArray> bodyFields, Map<String, JsonArray> parameters) {
    this.bodyFields = bodyFields;
    this.parameters = parameters;
  }

  /** From the raw contract and the raw operation object ({@code paths./x.post}) plus its path item's parameters. */
  static EnumNumbers of(JsonObject contract, JsonObject operation, JsonArray pathParameters) {
    Map<String, JsonArray> fields = new HashMap<>();
    JsonObject body = resolve(contract, operation.getJsonObject("requestBody"));
    JsonObject json = body == null ? null : body.getJsonObject("content", new JsonObject()).getJsonObject("application/json");
    JsonObject schema = json == null ? null : resolve(contract, json.getJsonObject("schema"));
    JsonObject properties = schema == null ? new JsonObject() : schema.getJsonObject("properties", new JsonObject());
    properties.forEach(p -> numbers(contract, (JsonObject) p.getValue()).ifPresent(n -> fields.put(p.getKey(), n)));
    Map<String, JsonArray> params = new HashMap<>();
    JsonArray all = new JsonArray().addAll(pathParameters == null ? new JsonArray() : pathParameters)
      .addAll(operation.getJsonArray("parameters", new JsonArray()));
    for (Object p : all) {
      JsonObject parameter = resolve(contract, (JsonObject) p);
      numbers(contract, parameter.getJsonObject("schema")).ifPresent(n -> params.put(parameter.getString("name"), n));
    }
    return new EnumNumbers(fields, params);
  }

  JsonObject body(JsonObject body) {
    if (body == null || bodyFields.isEmpty()) {
      return body;
    }
    bodyFields.forEach((field, names) -> {
      if (body.getValue(field) instanceof Number n && n.doubleValue() == n.intValue()) {
        body.put(field, name(names, n.intValue(), n));
      }
    });
    return body;
  }

  String parameter(String name, String value) {
    JsonArray names = parameters.get(name);
    if (names == null || value == null || !value.matches("[0-9]{1,3}")) {
      return value;
    }
    return String.valueOf(name(names, Integer.parseInt(value), value));
  }

  private static Object name(JsonArray names, int number, Object otherwise) {
    return number >= 0 && number < names.size() ? names.getString(number) : otherwise;
  }

  private static java.util.Optional<JsonArray> numbers(JsonObject contract, JsonObject schema) {
    JsonObject target = resolve(contract, schema);
    return java.util.Optional.ofNullable(target == null ? null : target.getJsonArray(EXTENSION));
  }

  /** Follows a local {@code $ref} ("#/components/..."); anything else is returned as it is. */
  static JsonObject resolve(JsonObject contract, JsonObject maybeRef) {
    JsonObject current = maybeRef;
    while (current != null && current.getValue("$ref") instanceof String ref && ref.startsWith("#/")) {
      Object found = contract;
      for (String part : ref.substring(2).split("/")) {
        found = found instanceof JsonObject o ? o.getValue(part.replace("~1", "/").replace("~0", "~")) : null;
      }
      current = found instanceof JsonObject o ? o : null;
    }
    return current;
  }
}
