package dev.mfaservice.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The contract as served: the YAML itself, its parsed form (what the router is built from) and
 * the web page made from it, all made once at start-up.
 */
public record ApiDocs(Buffer contract, JsonObject parsed, Buffer page) {
  public static ApiDocs of(Buffer contract) {
    Map<String, Object> tree = new Yaml().load(contract.toString());
    JsonObject parsed = new JsonObject(tree);
    return new ApiDocs(contract, parsed, ApiPage.render(parsed));
  }
}
