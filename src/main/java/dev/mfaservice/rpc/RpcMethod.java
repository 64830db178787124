package dev.mfaservice.rpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import dev.mfaservice.http.Endpoint;
import io.vertx.grpc.common.ServiceMethod;

/**
 * One RPC we serve: its protobuf method (ZITADEL's package, service and name), the gRPC binding
 * generated for it, and the operation of the contract it runs — the same one its REST twin runs.
 *
 * @param request the default instance of the generated request class (builders and parsers come from it)
 * @param response the default instance of the generated response class
 * @param adapter where the generation's messages differ from the REST twin's JSON beyond names
 */
record RpcMethod(MethodDescriptor descriptor, ServiceMethod<Message, Message> grpc, Endpoint endpoint,
                 Message request, Message response, RpcAdapter adapter) {

  /** The path of the RPC, as gRPC and Connect address it: {@code /zitadel.user.v2.UserService/RegisterTOTP}. */
  String path() {
    return "/" + descriptor.getService().getFullName() + "/" + descriptor.getName();
  }
}
