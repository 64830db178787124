package dev.mfaservice.app;

import dev.mfaservice.auth.AuthSettings;
import dev.mfaservice.auth.Claims;
import dev.mfaservice.auth.DevIssuer;
import dev.mfaservice.auth.Introspection;
import dev.mfaservice.auth.IssuerKeys;
import dev.mfaservice.auth.JwtVerifier;
import dev.mfaservice.auth.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/** Which tokens this instance accepts: the dev issuer's, or an external issuer's JWTs (and opaque tokens by introspection). */
final class TokenVerifiers {
  private TokenVerifiers() {
  }

  static Future<TokenVerifier> create(Vertx vertx, Config config, SecureRandom random, Clock clock) {
    AuthSettings auth = config.auth();
    Claims claims = new Claims(auth.rolesClaim(), auth.orgClaim());
    if (!auth.external()) {
      DevIssuer dev = DevIssuer.loadOrCreate(config.dataDir(), random);
      return JwtVerifier.create(vertx, dev, claims, auth, auth.devIssuerName(), null);
    }
    WebClient http = WebClient.create(vertx);
    URI issuer = auth.issuer().get();
    IssuerKeys keys = new IssuerKeys(http, issuer, auth.jwksUrl());
    Future<Optional<URI>> introspection = auth.introspectionUrl().isPresent() || auth.clientId().isEmpty()
      ? Future.succeededFuture(auth.introspectionUrl())
      : keys.discovery().map(doc -> Optional.ofNullable(doc.getString("introspection_endpoint")).map(URI::create));
    return introspection.compose(endpoint -> JwtVerifier.create(vertx, keys, claims, auth, issuer.toString(),
      endpoint.filter(e -> !auth.clientId().isEmpty()).map(e -> (TokenVerifier) new Introspection(http, e, auth, claims, clock))
        .orElse(null)));
  }}
