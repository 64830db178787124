package dev.mfaservice.http;

import dev.mfaservice.auth.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the HTTP router from the contract with vertx-web-openapi-router: every path and method
 * comes from {@code openapi/mfa-service.yaml}; capabilities attach one handler per operationId.
 * Each operation runs: bearer authentication (when the contract asks for it) → validation
 * against the contract → the handler. Starting with an operation that has no handler fails.
 */
public final class ApiRouter {
  public static final String CONTRACT = "openapi/mfa-service.yaml";

  private final Vertx vertx;
  private final OpenAPIContract contract;
  /** The contract as parsed, plain JSON (vertx-openapi's copy holds proxies of its own): for BodySchema. */
  private final JsonObject parsed;
  private final RouterBuilder builder;
  private final BearerAuth bearer;
  private final Set<String> mounted = new HashSet<>();
  private final Map<String, Endpoint> endpoints = new HashMap<>();
  private final TokenVerifier verifier;
  private final TrustedProxies proxies;

  private ApiRouter(Vertx vertx, OpenAPIContract contract, JsonObject parsed, TokenVerifier verifier, int bodyLimit,
                    TrustedProxies proxies) {
    this.vertx = vertx;
    this.contract = contract;
    this.parsed = parsed;
    this.verifier = verifier;
    this.proxies = proxies;
    this.bearer = new BearerAuth(verifier);
    this.builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler(new RequestLog());
    // SEC V1: no uploads, a small limit (Vert.x's default is 10 MB); over it → 413.
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(bodyLimit));
    builder.rootHandler(ApiRouter::decodablePath);
  }

  /** @param parsed the contract as parsed from {@link #CONTRACT} */
  public static Future<ApiRouter> load(Vertx vertx, JsonObject parsed, TokenVerifier verifier, int bodyLimit,
                                       TrustedProxies proxies) {
    return OpenAPIContract.from(vertx, routable(parsed.copy()))
      .map(contract -> new ApiRouter(vertx, contract, parsed.copy(), verifier, bodyLimit, proxies));
  }

  /**
   * vertx-openapi refuses a contract whose answers use media types it cannot validate (it knows
   * JSON, text/plain, multipart and octet-stream), although it never validates our answers. The
   * contract declares what is really served ({@code application/yaml}, {@code text/html}); the
   * router is given {@code text/plain} in their place. Changes {@code contract} and returns it.
   */
  public static JsonObject routable(JsonObject contract) {
    contract.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (op.getValue() instanceof JsonObject operation && operation.containsKey("responses")) {
        operation.getJsonObject("responses").forEach(response -> {
          JsonObject content = ((JsonObject) response.getValue()).getJsonObject("content");
          if (content != null) {
            for (String type : java.util.List.copyOf(content.fieldNames())) {
              if (!io.vertx.openapi.contract.MediaType.isMediaTypeSupported(type)) {
                content.put("text/plain", content.remove(type));
              }
            }
          }
        });
      }
    }));
    return contract;
  }

  /** Attaches the handler of one operation of the contract, reachable over REST and the RPC protocols. */
  public ApiRouter on(String operationId, ApiCall.Handler handler) {
    OpenAPIRoute route = route(operationId);
    Operation operation = route.getOperation();
    boolean secured = secured(operation);
    ContractValidation validation = new ContractValidation(contract, parsed, operation);
    Endpoint endpoint = new Endpoint(secured, validation, handler);
    route.setDoValidation(false).setDoSecurity(false);
    if (secured) {
      route.addHandler(bearer);
    }
    route.addHandler(validation).addHandler(ctx -> endpoint.run(caller(ctx), ContractValidation.validRequest(ctx))
      .onComplete(done -> {
        if (done.failed()) {
          ctx.fail(done.cause());
          return;
        }
        ctx.response().setStatusCode(done.result().status())
          .putHeader("Content-Type", "application/json")
          .end(done.result().body().toBuffer());
      }));
    endpoints.put(operationId, endpoint);
    mounted.add(operationId);
    return this;
  }

  /** Attaches a plain HTTP handler (operational endpoints: health, metrics, the contract itself). */
  public ApiRouter onHttp(String operationId, Handler<RoutingContext> handler) {
    OpenAPIRoute route = route(operationId);
    Operation operation = route.getOperation();
    // Our own order (authenticate before validating) with the contract's schemas: see ContractValidation.
    route.setDoValidation(false).setDoSecurity(false);
    if (secured(operation)) {
      route.addHandler(bearer);
    }
    route.addHandler(new ContractValidation(contract, parsed, operation)).addHandler(handler);
    mounted.add(operationId);
    return this;
  }

  /** The verified caller with the end user's address when a trusted proxy names it; null for public operations. */
  private dev.mfaservice.auth.Caller caller(RoutingContext ctx) {
    dev.mfaservice.auth.Caller caller = BearerAuth.caller(ctx);
    if (caller == null) {
      return null;
    }
    return caller.withEndUserIp(proxies.endUserIp(ctx.request().remoteAddress(), ctx.request().getHeader("X-Forwarded-For")));
  }

  private OpenAPIRoute route(String operationId) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalArgumentException("the contract has no operation " + operationId);
    }
    return route;
  }

  /** The operations with an {@link ApiCall.Handler}, by operationId: what the RPC protocols call. */
  public Map<String, Endpoint> endpoints() {
    return Map.copyOf(endpoints);
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  /** Whose X-Forwarded-For names the end user (the RPC protocols apply it as REST does). */
  public TrustedProxies proxies() {
    return proxies;
  }

  public Router build() {
    Set<String> missing = new TreeSet<>();
    contract.operations().forEach(op -> {
      if (!mounted.contains(op.getOperationId())) {
        missing.add(op.getOperationId());
      }
    });
    if (!missing.isEmpty()) {
      throw new IllegalStateException("operations of the contract without a handler: " + missing);
    }
    Router router = builder.createRouter();
    ErrorResponder errors = new ErrorResponder();
    router.route().failureHandler(errors);
    router.errorHandler(400, errors);
    router.errorHandler(404, errors);
    router.errorHandler(405, errors);
    router.errorHandler(500, errors);
    return router;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * A path or query string with a malformed % escape is refused with 400 before any route tries
   * to decode it (the query's parameters were decoded, and failed with a 500, only when a route
   * with parameters read them).
   */
  private static void decodablePath(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
      ctx.queryParams();
    } catch (IllegalArgumentException malformed) {
      ctx.fail(400);
      return;
    }
    ctx.next();
  }

  /** An operation is public only if the contract says {@code security: []} for it. */
  private static boolean secured(Operation operation) {
    List<SecurityRequirement> requirements = operation.getSecurityRequirements();
    return requirements != null && !requirements.isEmpty() && requirements.stream().noneMatch(SecurityRequirement::isEmpty);
  }
}
