package dev.mfaservice.http;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.auth.TokenVerifier;
import dev.mfaservice.errors.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Requires {@code Authorization: Bearer <token>} and puts the verified {@link Caller} on the context. */
final class BearerAuth implements Handler<RoutingContext> {
  private static final String KEY = "mfa.caller";
  private final TokenVerifier verifier;

  BearerAuth(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  static Caller caller(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(ApiError.unauthenticated("a bearer token is required (Authorization: Bearer <token>)"));
      return;
    }
    verifier.verify(header.substring(7).trim()).onComplete(result -> {
      if (result.succeeded()) {
        ctx.put(KEY, result.result());
        ctx.next();
      } else {
        ctx.fail(result.cause());
      }
    });
  }
}
