package dev.mfaservice.auth;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opaque tokens by RFC 7662 introspection with our client credentials (SEC A4): inactive → 401;
 * iss, aud and exp checked as for JWTs; an answer is cached until the token's expiry, at most a
 * minute; the IdP unreachable → 503.
 */
public final class Introspection implements TokenVerifier {
  private static final long MAX_CACHE_MILLIS = 60_000;
  private static final int MAX_CACHE_ENTRIES = 10_000;

  private final WebClient http;
  private final URI endpoint;
  private final AuthSettings auth;
  private final Claims claims;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public Introspection(WebClient http, URI endpoint, AuthSettings auth, Claims claims, Clock clock) {
    this.http = http;
    this.endpoint = endpoint;
    this.auth = auth;
    this.claims = claims;
    this.clock = clock;
  }

  @Override
  public Future<Caller> verify(String token) {
    Cached hit = cache.get(token);
    if (hit != null && hit.until > clock.millis()) {
      return Future.succeededFuture(hit.caller);
    }
    return introspect(token).map(answer -> remember(token, answer));
  }

  private Future<JsonObject> introspect(String token) {
    return http.postAbs(endpoint.toString())
      .basicAuthentication(auth.clientId(), auth.clientSecret())
      .putHeader("Accept", "application/json")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", token).add("token_type_hint", "access_token"))
      .recover(e -> Future.failedFuture(ApiError.unavailable("AUTH-introspection", "the token issuer cannot be reached")))
      .map(response -> {
        if (response.statusCode() != 200) {
          throw ApiError.unavailable("AUTH-introspection", "the token issuer answered " + response.statusCode());
        }
        return response.bodyAsJsonObject();
      });
  }

  private Caller remember(String token, JsonObject answer) {
    if (!Boolean.TRUE.equals(answer.getValue("active"))) {
      throw ApiError.unauthenticated("the token is invalid or expired");
    }
    long nowSeconds = clock.millis() / 1000;
    Object exp = answer.getValue("exp");
    if (!(exp instanceof Number n) || n.longValue() + auth.leewaySeconds() < nowSeconds) {
      throw ApiError.unauthenticated("the token is invalid or expired");
    }
    if (!auth.issuer().map(URI::toString).orElse("").equals(answer.getString("iss", "")) || !audienceMatches(answer)) {
      throw ApiError.unauthenticated("the token is invalid or expired");
    }
    Caller caller = claims.toCaller(answer);
    if (cache.size() >= MAX_CACHE_ENTRIES) {
      cache.clear();
    }
    cache.put(token, new Cached(caller, Math.min(n.longValue() * 1000, clock.millis() + MAX_CACHE_MILLIS)));
    return caller;
  }

  private boolean audienceMatches(JsonObject answer) {
    Object aud = answer.getValue("aud");
    if (aud instanceof String s) {
      return s.equals(auth.audience());
    }
    return aud instanceof JsonArray list && list.contains(auth.audience());
  }

  private record Cached(Caller caller, long until) {
  }
}
