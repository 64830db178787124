package dev.mfaservice.rpc;

import com.google.protobuf.Message;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.ErrorBody;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.function.Function;

/**
 * gRPC (HTTP/2, {@code application/grpc}, {@code +proto}, {@code +json}) and gRPC-web (HTTP/1.1
 * and 2, {@code application/grpc-web}, {@code +proto}, {@code +json}, {@code -text}) on the API's
 * port, with Vert.x's gRPC server. Every RPC of the catalog runs through the {@link RpcBridge};
 * errors carry ZITADEL's ErrorDetail in {@code grpc-status-details-bin}. Server reflection (v1)
 * describes the services.
 */
final class GrpcEndpoint implements Handler<HttpServerRequest> {
  private final GrpcServer server;
  private final UnaryGrpcBody unary;

  GrpcEndpoint(Vertx vertx, RpcCatalog catalog, RpcBridge bridge, int maxMessageBytes) {
    this.unary = new UnaryGrpcBody(vertx, maxMessageBytes);
    // No transcoding: REST is the contract's own router, with its own validation and errors.
    this.server = GrpcServer.server(vertx, new GrpcServerOptions()
      .removeEnabledProtocol(GrpcProtocol.TRANSCODING)
      .setMaxMessageSize(maxMessageBytes)
      .setScheduleDeadlineAutomatically(true));
    // Bound as services (not bare call handlers) so that server reflection can describe them:
    // grpcurl, Postman and friends find the API without our .proto files.
    Map<ServiceDescriptor, List<RpcMethod>> byService = new LinkedHashMap<>();
    catalog.methods().forEach(m -> byService.computeIfAbsent(m.descriptor().getService(), s -> new ArrayList<>()).add(m));
    byService.forEach((descriptor, methods) -> server.addService(new Service() {
      @Override
      public ServiceName name() {
        return ServiceName.create(descriptor.getFullName());
      }

      @Override
      public ServiceDescriptor descriptor() {
        return descriptor;
      }

      @Override
      public void bind(GrpcServer grpc) {
        methods.forEach(method -> grpc.callHandler(method.grpc(), request -> handle(method, bridge, request)));
      }
    }));
    server.addService(ReflectionService.v1());
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (request.path().startsWith("/zitadel.")) {
      // our RPCs are all unary: their one message is checked before Vert.x reads it (reflection streams)
      unary.handle(request, server::handle);
    } else {
      server.handle(request);
    }
  }

  private static void handle(RpcMethod method, RpcBridge bridge, GrpcServerRequest<Message, Message> request) {
    RpcLog log = RpcLog.start(request.headers().get("x-request-id"), protocol(request), method.path());
    String encoding = request.encoding();
    if (encoding != null && !encoding.equals("identity")) {
      // Vert.x would inflate gzip without a bound on the inflated size: refused, as the spec says.
      request.response().headers().set("grpc-accept-encoding", "identity");
      reply(request, log, method, Future.failedFuture(new ApiError(GrpcCode.UNIMPLEMENTED, "API-encoding",
        "grpc-encoding " + encoding + " is not supported; send identity")));
      return;
    }
    // The message is collected from the start (nothing is lost while the token is checked), but
    // the token decides first: a caller without one learns nothing about its message.
    Future<Message> message = request.last().recover(undecodable -> Future.failedFuture(RpcErrors.malformed()));
    Function<String, String> metadata = name -> request.headers().get(name);
    reply(request, log, method, bridge.authenticate(method, metadata, request.connection().remoteAddress())
      .compose(caller -> message.compose(m -> bridge.invoke(method, caller, m, metadata))));
  }

  private static void reply(GrpcServerRequest<Message, Message> request, RpcLog log, RpcMethod method, Future<Message> outcome) {
    outcome.onComplete(done -> {
      GrpcServerResponse<Message, Message> response = request.response();
      try {
        if (done.succeeded()) {
          response.send(done.result());
          log.end("OK");
          return;
        }
        ApiError error = RpcErrors.of(done.cause(), log.requestId(), method.path());
        response.status(GrpcStatus.valueOf(error.code().number())).statusMessage(ErrorBody.message(error));
        response.trailers().set("grpc-status-details-bin", RpcErrors.statusDetailsBin(error));
        response.end();
        log.end(error.code().name());
      } catch (IllegalStateException closed) {
        // the stream already ended: Vert.x refused the message itself (over the size limit), or the client cancelled
        log.end("CLOSED");
      }
    });
  }

  private static String protocol(GrpcServerRequest<?, ?> request) {
    String type = request.headers().get("content-type");
    return type != null && type.startsWith("application/grpc-web") ? "grpc-web" : "grpc";
  }
}
