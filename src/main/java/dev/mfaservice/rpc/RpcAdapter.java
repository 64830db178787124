package dev.mfaservice.rpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Where an RPC's messages differ from the REST twin's JSON: the request before the contract sees
 * it, the reply before it becomes the response message.
 */
interface RpcAdapter {
  RpcAdapter NONE = new RpcAdapter() {
  };

  /** The adapter of a method: the resources generation's, a whole policy's, or none. */
  static RpcAdapter of(MethodDescriptor method) {
    if (method.getService().getFullName().equals(ResourcesV3alpha.SERVICE)) {
      return new ResourcesV3alpha();
    }
    return WholePolicy.REQUESTS.contains(method.getInputType().getFullName()) ? new WholePolicy(method.getInputType()) : NONE;
  }

  default JsonObject request(JsonObject body) {
    return body;
  }

  /** @param parameters the REST twin's parameters of this call (userId, …) */
  default JsonObject reply(JsonObject reply, Map<String, String> parameters) {
    return reply;
  }
}
