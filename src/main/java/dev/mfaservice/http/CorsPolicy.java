package dev.mfaservice.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CORS for browsers on other origins (gRPC-web and Connect from a web app, or REST with fetch),
 * for every protocol on the port: only the configured origins, exactly; no credentials (tokens
 * travel in the authorization header, not cookies). A preflight from an allowed origin is
 * answered here (204); other requests get the allow and expose headers and go on.
 */
public final class CorsPolicy {
  private static final Set<String> REQUEST_HEADERS = Set.of("authorization", "content-type", "x-grpc-web",
    "x-user-agent", "grpc-timeout", "connect-protocol-version", "connect-timeout-ms", "x-zitadel-orgid",
    "x-request-id");
  private static final String EXPOSED = "grpc-status, grpc-message, grpc-status-details-bin, x-request-id, retry-after";
  private static final String METHODS = "GET, POST, PUT, PATCH, DELETE";
  private final Set<String> origins;

  public CorsPolicy(List<String> origins) {
    this.origins = Set.copyOf(origins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList());
  }

  public Handler<HttpServerRequest> around(Handler<HttpServerRequest> next) {
    if (origins.isEmpty()) {
      return next;
    }
    return request -> {
      // the answer depends on the Origin header whenever CORS is on, allowed or not: caches must know
      request.response().headers().add("vary", "origin");
      String origin = request.getHeader("origin");
      if (origin == null || !origins.contains(origin.toLowerCase(Locale.ROOT))) {
        next.handle(request);
        return;
      }
      HttpServerResponse response = request.response().putHeader("access-control-allow-origin", origin);
      if (request.method() == HttpMethod.OPTIONS && request.getHeader("access-control-request-method") != null) {
        preflight(request, response);
        return;
      }
      response.putHeader("access-control-expose-headers", EXPOSED);
      next.handle(request);
    };
  }

  private static void preflight(HttpServerRequest request, HttpServerResponse response) {
    String asked = request.getHeader("access-control-request-headers");
    StringBuilder allowed = new StringBuilder();
    if (asked != null) {
      for (String header : asked.split(",")) {
        String name = header.trim().toLowerCase(Locale.ROOT);
        if (REQUEST_HEADERS.contains(name)) {
          allowed.append(allowed.length() == 0 ? "" : ", ").append(name);
        }
      }
    }
    response.setStatusCode(204).putHeader("access-control-allow-methods", METHODS)
      .putHeader("access-control-allow-headers", allowed.toString())
      .putHeader("access-control-max-age", "7200").end();
  }
}
