package dev.mfaservice.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.mfaservice.auth.Caller;
import dev.mfaservice.auth.TokenVerifier;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.http.BearerAuth;
import dev.mfaservice.http.Endpoint;
import dev.mfaservice.http.TrustedProxies;
import io.vertx.core.net.SocketAddress;
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
  private final TokenVerifier verifier;
  private final TrustedProxies proxies;

  RpcBridge(TokenVerifier verifier, TrustedProxies proxies) {
    this.verifier = verifier;
    this.proxies = proxies;
  }

  /**
   * Step one, from the headers alone, before the message is decoded: who calls (null for a
   * public operation), or UNAUTHENTICATED — as REST checks the token before it reads the body.
   *
   * @param metadata a request header (gRPC metadata) by lower-case name, or null
   * @param remote the connection's peer: a trusted proxy's x-forwarded-for names the end user, as over REST
   */
  Future<Caller> authenticate(RpcMethod method, Function<String, String> metadata, SocketAddress remote) {
    return method.endpoint().secured()
      ? BearerAuth.verify(verifier, metadata.apply("authorization"))
        .map(caller -> caller.withEndUserIp(proxies.endUserIp(remote, metadata.apply("x-forwarded-for"))))
      : Future.succeededFuture();
  }

  /**
   * Step two: the request through its REST twin's validation and handler.
   *
   * @return the response message, or the failure as an {@link ApiError} (or an unexpected one)
   */
  Future<Message> invoke(RpcMethod method, Caller caller, Message request, Function<String, String> metadata) {
    Endpoint endpoint = method.endpoint();
    JsonObject json;
    try {
      json = ProtoJson.toJson(request);
    } catch (IllegalArgumentException | IllegalStateException noJsonForm) {
      // the request decoded but holds what JSON cannot (a google.protobuf.Value without a kind, NaN): the caller's input
      return Future.failedFuture(ApiError.invalidArgument("RPC-noJsonForm", "The request has a value with no JSON form"));
    }
    JsonObject body = method.adapter().request(json);
    Map<String, String> parameters = new HashMap<>();
    for (Parameter p : endpoint.parameters()) {
      String value = switch (p.getIn()) {
        case HEADER -> metadata.apply(p.getName().toLowerCase(Locale.ROOT));
        default -> {
          Object field = body.remove(p.getName());
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
