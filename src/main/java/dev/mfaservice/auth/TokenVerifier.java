package dev.mfaservice.auth;

import io.vertx.core.Future;

/** Turns a bearer token into a {@link Caller}, or fails with 16/UNAUTHENTICATED (14/UNAVAILABLE when the IdP is down). */
public interface TokenVerifier {
  Future<Caller> verify(String token);
}
