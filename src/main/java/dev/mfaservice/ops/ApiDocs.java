package dev.mfaservice.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The contract as served: the YAML itself and the web page made from it, both made once at start-up. */
public record ApiDocs(Buffer contract, Buffer page) {
  public static ApiDocs of(Buffer contract) {
    Map<String, Object> parsed = new Yaml().load(contract.toString());
    return new ApiDocs(contract, ApiPage.render(new JsonObject(parsed)));
  }
}
