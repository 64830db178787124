package dev.mfaservice.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The human-readable API page (GET /docs), written once at start-up from the contract itself:
 * every operation by tag with its method, path, summary and description, and a link to the
 * machine-readable contract. No scripts, no external assets.
 */
final class ApiPage {
  private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

  private ApiPage() {
  }

  static Buffer render(JsonObject contract) {
    JsonObject info = contract.getJsonObject("info", new JsonObject());
    Map<String, List<String>> byTag = new LinkedHashMap<>();
    contract.getJsonArray("tags", new io.vertx.core.json.JsonArray())
      .forEach(t -> byTag.put(((JsonObject) t).getString("name"), new ArrayList<>()));
    JsonObject paths = contract.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : METHODS) {
        JsonObject op = item.getJsonObject(method);
        if (op != null) {
          String tag = op.getJsonArray("tags", new io.vertx.core.json.JsonArray().add("Other")).getString(0);
          byTag.computeIfAbsent(tag, k -> new ArrayList<>()).add(operation(method, path, op));
        }
      }
    }
    StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
      .append(escape(info.getString("title", "API"))).append("</title><style>body{font:15px/1.5 system-ui,sans-serif;"
        + "max-width:60em;margin:2em auto;padding:0 1em}code{background:#f3f3f3;padding:0 .2em}h3{margin-bottom:0}"
        + ".m{font-weight:bold;text-transform:uppercase}pre{white-space:pre-wrap}</style></head><body><h1>")
      .append(escape(info.getString("title", "API"))).append(" ").append(escape(info.getString("version", "")))
      .append("</h1><p>").append(escape(info.getString("summary", ""))).append("</p><pre>")
      .append(escape(info.getString("description", ""))).append("</pre><p>The contract: <a href=\"/openapi.yaml\">")
      .append("/openapi.yaml</a> (OpenAPI 3.1).</p>");
    byTag.forEach((tag, ops) -> {
      if (!ops.isEmpty()) {
        html.append("<h2>").append(escape(tag)).append("</h2>");
        ops.forEach(html::append);
      }
    });
    return Buffer.buffer(html.append("</body></html>").toString());
  }

  private static String operation(String method, String path, JsonObject op) {
    return "<h3><span class=\"m\">" + method + "</span> <code>" + escape(path) + "</code></h3><p>"
      + escape(op.getString("summary", "")) + " <small>(" + escape(op.getString("operationId", "")) + ")</small></p>"
      + (op.containsKey("description") ? "<pre>" + escape(op.getString("description")) + "</pre>" : "");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
