package dev.mfaservice.rpc;

import dev.mfaservice.http.ApiRouter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * ZITADEL's RPC protocols beside REST on the one port: requests with an {@code application/grpc…}
 * content type on an RPC path go to gRPC/gRPC-web, other requests on a {@code /zitadel.…} path to
 * Connect, the rest to the REST router (which refuses a gRPC body on a REST path with its 415). All three reach the same operations.
 */
public final class RpcProtocols {
  private static final String RPC_PREFIX = "/zitadel.";
  /** gRPC server reflection (grpc.reflection.v1.ServerReflection), served by Vert.x's gRPC server. */
  private static final String REFLECTION_PREFIX = "/grpc.";
  private final GrpcEndpoint grpc;
  private final ConnectEndpoint connect;

  private RpcProtocols(GrpcEndpoint grpc, ConnectEndpoint connect) {
    this.grpc = grpc;
    this.connect = connect;
  }

  /** Binds every RPC of the catalog to its operation; fails if one has none (as the contract's check does). */
  public static RpcProtocols create(ApiRouter api, int bodyLimit) {
    RpcCatalog catalog = RpcCatalog.bind(api.endpoints());
    RpcBridge bridge = new RpcBridge(api.verifier(), api.proxies());
    return new RpcProtocols(new GrpcEndpoint(api.vertx(), catalog, bridge, bodyLimit),
      new ConnectEndpoint(api.vertx(), catalog, bridge, bodyLimit));
  }

  /** The request handler of the port: gRPC, gRPC-web, Connect, else {@code rest}. */
  public Handler<HttpServerRequest> around(Handler<HttpServerRequest> rest) {
    return request -> {
      String type = request.getHeader("content-type");
      boolean rpcPath = request.path().startsWith(RPC_PREFIX) || request.path().startsWith(REFLECTION_PREFIX);
      if (rpcPath && type != null && type.regionMatches(true, 0, "application/grpc", 0, 16)) {
        grpc.handle(request);
      } else if (request.path().startsWith(RPC_PREFIX)) {
        connect.handle(request);
      } else {
        rest.handle(request);
      }
    };
  }
}
