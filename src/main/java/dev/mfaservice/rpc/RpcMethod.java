package dev.mfaservice.rpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import dev.mfaservice.http.Endpoint;
import io.vertx.grpc.common.ServiceMethod;
import java.util.Map;

/**
 * One RPC we serve: its protobuf method (ZITADEL's package, service and name), the gRPC binding
 * generated for it, and the operation of the contract it runs — the same one its REST twin runs.
 *
 * @param fields contract parameter name → request field (JSON name) where they differ
 * @param request the default instance of the generated request class (builders and parsers come from it)
 * @param response the default instance of the generated response class
 * @param adapter where the generation's messages differ from the REST twin's JSON beyond names
 */
record RpcMethod(MethodDescriptor descriptor, ServiceMethod<Message, Message> grpc, Endpoint endpoint,
                 Map<String, String> fields, Message request, Message response, RpcAdapter adapter) {

  /** The path of the RPC, as gRPC and Connect address it: {@code /zitadel.user.v2.UserService/RegisterTOTP}. */
  String path() {
    return "/" + descriptor.getService().getFullName() + "/" + descriptor.getName();
  }

  /** The request field that carries a path or query parameter of the REST twin. */
  String fieldOf(String parameter) {
    return fields.getOrDefault(parameter, parameter);
  }
}
