package dev.mfaservice.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Where an issuer's public signing keys (JWKs) come from. */
public interface KeySource {
  Future<List<JsonObject>> keys();
}
