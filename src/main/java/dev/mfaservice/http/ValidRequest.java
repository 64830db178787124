package dev.mfaservice.http;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** A request that passed the contract: its JSON body (an empty object when none was sent) and parameters. */
public record ValidRequest(JsonObject body, Map<String, String> parameters) {
  /** A path or header parameter the contract declares, or null when an optional one is absent. */
  public String parameter(String name) {
    return parameters.get(name);
  }
}
