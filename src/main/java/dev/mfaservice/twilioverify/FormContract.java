package dev.mfaservice.twilioverify;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * One operation's input as the Twilio contract describes it: the query parameters and the form body's fields
 * in one object schema. A request's values are typed by that schema (integer, boolean, string) and checked
 * against it; the first field that is missing, of the wrong type or out of its limits → 400/60200 naming it.
 */
final class FormContract {
  private final JsonObject schema;
  private final Validator validator;
  /** The Twilio code of an invalid parameter: 60200, or the operation's {@code x-invalid-parameter-code} (60306). */
  private final int invalidCode;

  private FormContract(JsonObject schema, int invalidCode) {
    this.schema = schema;
    this.invalidCode = invalidCode;
    this.validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("https://mfa-service.local/twilio-verify-v2.yaml").setOutputFormat(OutputFormat.Basic));
  }

  /** The input schema of {@code operation} (a parsed operation of {@code contract}). */
  static FormContract of(JsonObject contract, JsonObject operation) {
    JsonObject properties = new JsonObject();
    JsonArray required = new JsonArray();
    for (Object p : operation.getJsonArray("parameters", new JsonArray())) {
      JsonObject parameter = resolve(contract, (JsonObject) p);
      if ("query".equals(parameter.getString("in"))) {
        properties.put(parameter.getString("name"), inline(contract, parameter.getJsonObject("schema")));
      }
    }
    JsonObject body = operation.getJsonObject("requestBody");
    if (body != null) {
      JsonObject form = inline(contract, body.getJsonObject("content").getJsonObject("application/x-www-form-urlencoded")
        .getJsonObject("schema"));
      collect(form, properties, required);
    }
    return new FormContract(new JsonObject().put("type", "object").put("properties", properties).put("required", required),
      operation.getInteger("x-invalid-parameter-code", 60200));
  }

  /** The typed input, or a {@link TwilioError} (60200, or the operation's code) naming the first parameter in the way. */
  JsonObject read(MultiMap query, MultiMap form) {
    JsonObject input = new JsonObject();
    JsonObject properties = schema.getJsonObject("properties");
    for (String name : properties.fieldNames()) {
      MultiMap from = form.contains(name) ? form : query;
      String type = properties.getJsonObject(name).getString("type");
      if ("array".equals(type) && from.contains(name)) {
        input.put(name, new JsonArray(new ArrayList<Object>(from.getAll(name))));  // a repeated key: one item each
      } else if (from.get(name) != null) {
        input.put(name, typed(name, type, from.get(name)));
      }
    }
    for (Object name : schema.getJsonArray("required")) {
      if (!input.containsKey((String) name)) {
        throw invalid((String) name);
      }
    }
    OutputUnit result = validator.validate(input);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw invalid(firstField(result));
    }
    return input;
  }

  private TwilioError invalid(String name) {
    return invalidCode == 60200 ? TwilioError.invalidParameter(name) : TwilioError.invalidRequest(name);
  }

  private Object typed(String name, String type, String value) {
    try {
      return switch (type == null ? "string" : type) {
        case "integer" -> Long.parseLong(value.trim());
        case "boolean" -> switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
          case "true" -> true;
          case "false" -> false;
          default -> throw invalid(name);
        };
        default -> value;
      };
    } catch (NumberFormatException e) {
      throw invalid(name);
    }
  }

  private static String firstField(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
    return errors.stream().map(OutputUnit::getInstanceLocation).filter(java.util.Objects::nonNull)
      .map(l -> l.replaceFirst("^#?/", "").split("/")[0].replace("~1", "/").replace("~0", "~"))
      .filter(name -> !name.isEmpty()).findFirst().orElse("request");
  }

  /** The properties and required names of an object schema, through {@code allOf}. */
  private static void collect(JsonObject schema, JsonObject properties, JsonArray required) {
    schema.getJsonObject("properties", new JsonObject()).forEach(p -> properties.put(p.getKey(), p.getValue()));
    schema.getJsonArray("required", new JsonArray()).forEach(required::add);
    schema.getJsonArray("allOf", new JsonArray()).forEach(part -> collect((JsonObject) part, properties, required));
  }

  /** A copy of {@code node} with every local {@code $ref} replaced by what it points at. */
  private static JsonObject inline(JsonObject contract, JsonObject node) {
    return (JsonObject) inlineAny(contract, node);
  }

  private static Object inlineAny(JsonObject contract, Object node) {
    if (node instanceof JsonObject o) {
      if (o.getValue("$ref") instanceof String) {
        return inlineAny(contract, resolve(contract, o));
      }
      JsonObject copy = new JsonObject();
      o.forEach(e -> copy.put(e.getKey(), inlineAny(contract, e.getValue())));
      return copy;
    }
    if (node instanceof JsonArray a) {
      List<Object> items = new ArrayList<>();
      a.forEach(item -> items.add(inlineAny(contract, item)));
      return new JsonArray(items);
    }
    return node;
  }

  static JsonObject resolve(JsonObject contract, JsonObject maybeRef) {
    JsonObject current = maybeRef;
    while (current.getValue("$ref") instanceof String ref) {
      Object found = contract;
      for (String part : ref.substring(2).split("/")) {
        found = ((JsonObject) found).getValue(part);
      }
      current = (JsonObject) found;
    }
    return current;
  }
}
