package dev.mfaservice.rpc;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Where an RPC generation's messages differ from the REST twin's JSON beyond field names: the
 * request before the contract sees it, the reply before it becomes the response message.
 */
interface RpcAdapter {
  RpcAdapter NONE = new RpcAdapter() {
  };

  default JsonObject request(JsonObject body) {
    return body;
  }

  /** @param parameters the REST twin's parameters of this call (userId, …) */
  default JsonObject reply(JsonObject reply, Map<String, String> parameters) {
    return reply;
  }
}
