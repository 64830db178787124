package dev.mfaservice.twilioverify;

import dev.mfaservice.http.RequestLog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Twilio's Verify v2 wire on the API port: requests to {@code /v2/Services…} (Twilio's PascalCase paths, apart from
 * ours) go to a router built from {@code openapi/twilio-verify-v2.yaml}: each operation runs HTTP Basic → the
 * contract's check of its input → its handler; every refusal is a Twilio error body.
 */
public final class VerifyApi {
  static final String PREFIX = "/v2/Services";
  private static final List<String> METHODS = List.of("get", "post", "delete");
  private final Router router;

  private VerifyApi(Router router) {
    this.router = router;
  }

  static VerifyApi create(Vertx vertx, JsonObject contract, Map<String, VerifyCall.Handler> handlers,
                          VerifyAccounts accounts, Optional<String> publicUrl, int bodyLimit) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestLog()).handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
    TreeSet<String> missing = new TreeSet<>();
    contract.getJsonObject("paths").forEach(path -> METHODS.forEach(method -> {
      JsonObject operation = ((JsonObject) path.getValue()).getJsonObject(method);
      if (operation != null) {
        VerifyCall.Handler handler = handlers.get(operation.getString("operationId"));
        if (handler == null) {
          missing.add(operation.getString("operationId"));
          return;
        }
        VerifyOperation op = new VerifyOperation(path.getKey(), FormContract.of(contract, operation), handler, accounts,
          publicUrl);
        router.route(HttpMethod.valueOf(method.toUpperCase()), path.getKey().replaceAll("\\{(\\w+)}", ":$1")).handler(op);
      }
    }));
    if (!missing.isEmpty()) {
      throw new IllegalStateException("operations of the Twilio contract without a handler: " + missing);
    }
    VerifyErrors errors = new VerifyErrors();
    router.route().failureHandler(errors);
    List.of(400, 404, 405, 413, 500).forEach(status -> router.errorHandler(status, errors));
    return new VerifyApi(router);
  }

  /** The port's handler: Verify requests here, the rest to {@code rest}. */
  public Handler<HttpServerRequest> around(Handler<HttpServerRequest> rest) {
    return request -> {
      String path = request.path();
      if (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) {
        router.handle(request);
      } else {
        rest.handle(request);
      }
    };
  }

  /** Scheme and host the client called (Host header), when no public URL is configured. */
  static String baseUrl(RoutingContext ctx, Optional<String> publicUrl) {
    if (publicUrl.isPresent()) {
      return publicUrl.get();
    }
    String host = ctx.request().getHeader("Host");
    if (host == null && ctx.request().authority() != null) {
      host = ctx.request().authority().toString();
    }
    return ctx.request().scheme() + "://" + (host == null ? "localhost" : host);
  }
}
