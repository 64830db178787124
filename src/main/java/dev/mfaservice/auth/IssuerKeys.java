package dev.mfaservice.auth;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An external issuer's signing keys: from the configured JWKS URL, or from the {@code jwks_uri}
 * of its OIDC discovery document, whose {@code issuer} must equal the configured one exactly
 * (SEC A2). Also tells the introspection endpoint the discovery document names, if any.
 */
public final class IssuerKeys implements KeySource {
  private final WebClient http;
  private final URI issuer;
  private final Optional<URI> jwksUrl;

  public IssuerKeys(WebClient http, URI issuer, Optional<URI> jwksUrl) {
    this.http = http;
    this.issuer = issuer;
    this.jwksUrl = jwksUrl;
  }

  @Override
  public Future<List<JsonObject>> keys() {
    Future<String> uri = jwksUrl.isPresent() ? Future.succeededFuture(jwksUrl.get().toString())
      : discovery().map(doc -> doc.getString("jwks_uri"));
    return uri.compose(this::getJson).map(IssuerKeys::keyList);
  }

  /** The discovery document, after checking that it names our issuer exactly. */
  public Future<JsonObject> discovery() {
    String base = issuer.toString().replaceAll("/+$", "");
    return getJson(base + "/.well-known/openid-configuration").map(doc -> {
      if (!issuer.toString().equals(doc.getString("issuer"))) {
        throw ApiError.unavailable("AUTH-issuer", "the discovery document names issuer '" + doc.getString("issuer")
          + "', not the configured '" + issuer + "'");
      }
      return doc;
    });
  }

  private Future<JsonObject> getJson(String url) {
    if (url == null) {
      return Future.failedFuture(ApiError.unavailable("AUTH-jwks", "the issuer publishes no jwks_uri"));
    }
    return http.getAbs(url).putHeader("Accept", "application/json").send().map(r -> body(url, r));
  }

  private static JsonObject body(String url, HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      throw ApiError.unavailable("AUTH-jwks", "GET " + url + " answered " + response.statusCode());
    }
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> keyList(JsonObject jwks) {
    JsonArray keys = jwks.getJsonArray("keys", new JsonArray());
    List<JsonObject> list = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      list.add(keys.getJsonObject(i));
    }
    return list;
  }
}
