package dev.mfaservice.http;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.auth.TokenVerifier;
import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Requires {@code Authorization: Bearer <token>} and puts the verified {@link Caller} on the context. */
public final class BearerAuth implements Handler<RoutingContext> {
  private static final String KEY = "mfa.caller";
  private final TokenVerifier verifier;

  BearerAuth(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  static Caller caller(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The caller of an {@code Authorization} header value (HTTP header or gRPC metadata), or 16/UNAUTHENTICATED. */
  public static Future<Caller> verify(TokenVerifier verifier, String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(ApiError.unauthenticated("a bearer token is required (Authorization: Bearer <token>)"));
    }
    return verifier.verify(header.substring(7).trim());
  }

  @Override
  public void handle(RoutingContext ctx) {
    verify(verifier, ctx.request().getHeader("Authorization")).onComplete(result -> {
      if (result.succeeded()) {
        ctx.put(KEY, result.result());
        ctx.next();
      } else {
        ctx.fail(result.cause());
      }
    });
  }
}
