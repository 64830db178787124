package dev.mfaservice.rpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.mfaservice.auth.Caller;
import dev.mfaservice.auth.TokenVerifier;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.http.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Parameter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs an RPC as its REST twin runs: the bearer token from the {@code authorization} metadata,
 * the request message in its proto3 JSON form (the form the contract describes) split into the
 * twin's parameters and body, the same contract validation and handler, and the reply read back
 * into the response message. One set of rules, whatever the protocol.
 */
final class RpcBridge {
  private static final java.util.Set<Descriptors.FieldDescriptor.JavaType> NUMBERS = java.util.EnumSet.of(
    Descriptors.FieldDescriptor.JavaType.INT, Descriptors.FieldDescriptor.JavaType.LONG);
  private static final java.util.Set<String> WHOLE_POLICIES = java.util.Set.of(
    "zitadel.management.v1.AddCustomLockoutPolicyRequest", "zitadel.management.v1.UpdateCustomLockoutPolicyRequest",
    "zitadel.admin.v1.UpdateLockoutPolicyRequest");
  private final TokenVerifier verifier;

  RpcBridge(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * Step one, from the headers alone, before the message is decoded: who calls (null for a
   * public operation), or UNAUTHENTICATED — as REST checks the token before it reads the body.
   *
   * @param metadata a request header (gRPC metadata) by lower-case name, or null
   */
  Future<Caller> authenticate(RpcMethod method, Function<String, String> metadata) {
    return method.endpoint().secured() ? authenticate(metadata.apply("authorization")) : Future.succeededFuture();
  }

  /**
   * Step two: the request through its REST twin's validation and handler.
   *
   * @return the response message, or the failure as an {@link ApiError} (or an unexpected one)
   */
  Future<Message> invoke(RpcMethod method, Caller caller, Message request, Function<String, String> metadata) {
    Endpoint endpoint = method.endpoint();
    JsonObject body = method.adapter().request(withNumbers(ProtoJson.toJson(request), request.getDescriptorForType()));
    Map<String, String> parameters = new HashMap<>();
    for (Parameter p : endpoint.parameters()) {
      String value = switch (p.getIn()) {
        case HEADER -> metadata.apply(p.getName().toLowerCase(Locale.ROOT));
        default -> {
          Object field = body.remove(method.fieldOf(p.getName()));
          yield field == null ? null : field.toString();
        }
      };
      if (value != null) {
        parameters.put(p.getName(), value);
      }
    }
    return endpoint.invoke(caller, p -> parameters.get(p.getName()), body.isEmpty() ? null : body)
      .map(reply -> parse(method.adapter().reply(reply.body(), parameters), method));
  }

  /**
   * proto3 cannot tell a number left out from 0, and leaves 0 out of the JSON form. Requests that
   * set a whole policy mean 0 by a number left out (lockout {@code maxOtpAttempts: 0} = off), so
   * theirs are always sent. Elsewhere a left-out number stays "not given" (ListEvents' limit).
   */
  private static JsonObject withNumbers(JsonObject body, Descriptors.Descriptor type) {
    if (!WHOLE_POLICIES.contains(type.getFullName())) {
      return body;
    }
    for (Descriptors.FieldDescriptor field : type.getFields()) {
      if (!field.hasPresence() && !field.isRepeated() && NUMBERS.contains(field.getJavaType())
        && !body.containsKey(field.getJsonName())) {
        body.put(field.getJsonName(), 0);
      }
    }
    return body;
  }

  private Future<Caller> authenticate(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(ApiError.unauthenticated("a bearer token is required (authorization: Bearer <token>)"));
    }
    return verifier.verify(header.substring(7).trim());
  }

  private static Message parse(JsonObject reply, RpcMethod method) {
    Message.Builder response = method.response().newBuilderForType();
    try {
      ProtoJson.merge(reply, response);
    } catch (InvalidProtocolBufferException e) {
      // no cause: protobuf's message quotes the offending value, and replies carry secrets
      throw new IllegalStateException("reply of " + method.path() + " does not fit its response message");
    }
    return response.build();
  }
}
