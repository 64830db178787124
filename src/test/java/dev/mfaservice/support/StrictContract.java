package dev.mfaservice.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.HashMap;
import java.util.Map;

/**
 * The contract as the answer check reads it: every object schema that says nothing about extra
 * properties gets {@code unevaluatedProperties: false} (what a strict generated client such as
 * okhttp-gson does), and each operation's declared answers are looked up by operationId and status.
 */
final class StrictContract {
  private final JsonObject contract;
  private final Map<String, JsonObject> operations = new HashMap<>();

  private StrictContract(JsonObject contract) {
    this.contract = contract;
    contract.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (op.getValue() instanceof JsonObject operation && operation.containsKey("operationId")) {
        operations.put(operation.getString("operationId"), operation);
      }
    }));
  }

  static StrictContract of(JsonObject raw) {
    JsonObject copy = raw.copy();
    tighten(copy);
    return new StrictContract(copy);
  }

  /** The media types (with their raw schema) of one declared answer; "default" for the default one. */
  Map<String, JsonObject> content(String operationId, String status) {
    JsonObject response = resolve(operations.get(operationId).getJsonObject("responses").getJsonObject(status));
    JsonObject content = response.getJsonObject("content", new JsonObject());
    Map<String, JsonObject> types = new HashMap<>();
    content.forEach(e -> types.put(e.getKey(), (JsonObject) e.getValue()));
    return types;
  }

  /** The error body's schema, as the contract's schema repository knows it. */
  JsonSchema errorSchema(OpenAPIContract parsed, String operationId) {
    return parsed.operation(operationId).getResponse(404).getContent().get("application/json").getSchema();
  }

  /** The strict contract in a form vertx-openapi accepts (it knows few answer media types). */
  JsonObject routable() {
    return dev.mfaservice.http.ApiRouter.routable(contract.copy());
  }

  private JsonObject resolve(JsonObject maybeRef) {
    JsonObject current = maybeRef;
    while (current != null && current.getValue("$ref") instanceof String ref) {
      Object found = contract;
      for (String part : ref.substring(2).split("/")) {
        found = ((JsonObject) found).getValue(part);
      }
      current = (JsonObject) found;
    }
    return current;
  }

  /** Adds unevaluatedProperties: false to every object schema that leaves extra properties open by silence. */
  private static void tighten(Object node) {
    if (node instanceof JsonObject o) {
      boolean objectSchema = "object".equals(o.getValue("type")) && !o.containsKey("additionalProperties")
        && !o.containsKey("unevaluatedProperties");
      o.forEach(e -> tighten(e.getValue()));
      if (objectSchema) {
        o.put("unevaluatedProperties", false);
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(StrictContract::tighten);
    }
  }
}
