package dev.mfaservice.factors;

import dev.mfaservice.http.ApiCall;
import dev.mfaservice.http.ApiRouter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** HTTP handlers listing a user's ready factors: ListMyAuthFactors (auth v1) and ListAuthenticationMethodTypes (v2). */
public final class AuthMethodRoutes {
  private final AuthMethodQueries queries;

  public AuthMethodRoutes(AuthMethodQueries queries) {
    this.queries = queries;
  }

  public void mount(ApiRouter api) {
    api.on("AuthService_ListMyAuthFactors", this::listMine)
      .on("UserService_ListAuthenticationMethodTypes", this::listTypes);
  }

  private void listMine(ApiCall ctx) {
    ctx.ok(queries.readyFactors(ctx.caller(), ctx.caller().userId()), AuthMethodRoutes::factorsJson);
  }

  private void listTypes(ApiCall ctx) {
    ctx.ok(queries.readyFactors(ctx.caller(), ctx.request().parameter("userId")), AuthMethodRoutes::typesJson);
  }

  /** ZITADEL's AuthFactor list: {state, <oneof field>: {…}}. */
  static JsonArray authFactors(List<UserFactor> factors) {
    JsonArray result = new JsonArray();
    factors.stream().filter(f -> f.authFactorField() != null).forEach(f -> result.add(new JsonObject()
      .put("state", f.ready() ? "AUTH_FACTOR_STATE_READY" : "AUTH_FACTOR_STATE_NOT_READY")
      .put(f.authFactorField(), f.detail())));
    return result;
  }

  private static JsonObject factorsJson(List<UserFactor> factors) {
    return new JsonObject().put("result", authFactors(factors));
  }

  private static JsonObject typesJson(List<UserFactor> factors) {
    JsonArray types = new JsonArray();
    factors.stream().map(UserFactor::methodType).distinct().forEach(t -> types.add("AUTHENTICATION_METHOD_TYPE_" + t));
    return new JsonObject().put("details", new JsonObject().put("totalResult", Integer.toString(types.size())))
      .put("authMethodTypes", types);
  }
}
