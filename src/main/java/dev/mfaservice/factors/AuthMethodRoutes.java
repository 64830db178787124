package dev.mfaservice.factors;

import dev.mfaservice.http.ApiCall;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.SecondFactorType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * HTTP handlers listing a user's factors: ListMyAuthFactors (auth v1) and ListAuthenticationMethodTypes (v2) the ready
 * ones, ListAuthenticationFactors (v2) every one with its state, filtered by kind and state when asked.
 */
public final class AuthMethodRoutes {
  private final AuthMethodQueries queries;

  public AuthMethodRoutes(AuthMethodQueries queries) {
    this.queries = queries;
  }

  public void mount(ApiRouter api) {
    api.on("AuthService_ListMyAuthFactors", this::listMine)
      .on("UserService_ListAuthenticationMethodTypes", this::listTypes)
      .on("UserService_ListAuthenticationFactors", this::listFactors);
  }

  private void listFactors(ApiCall ctx) {
    JsonObject body = ctx.request().body();
    List<SecondFactorType> kinds = strings(body.getJsonArray("authFactors")).stream().map(SecondFactorType::byAuthFactor).toList();
    List<String> states = strings(body.getJsonArray("states"));
    ctx.ok(queries.factors(ctx.caller(), ctx.request().parameter("userId")), factors -> new JsonObject().put("result",
      authFactors(factors.stream().filter(f -> kinds.isEmpty() || kinds.contains(f.type()))
        .filter(f -> states.isEmpty() || states.contains(state(f))).toList())));
  }

  private static List<String> strings(JsonArray values) {
    return values == null ? List.of() : values.stream().map(String::valueOf).toList();
  }

  private static String state(UserFactor f) {
    return f.ready() ? "AUTH_FACTOR_STATE_READY" : "AUTH_FACTOR_STATE_NOT_READY";
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
    factors.stream().filter(f -> f.type().authFactorField() != null).forEach(f -> result.add(new JsonObject()
      .put("state", state(f))
      .put(f.type().authFactorField(), f.detail())));
    return result;
  }

  private static JsonObject factorsJson(List<UserFactor> factors) {
    return new JsonObject().put("result", authFactors(factors));
  }

  private static JsonObject typesJson(List<UserFactor> factors) {
    JsonArray types = new JsonArray();
    factors.stream().map(f -> f.type().methodType()).distinct().forEach(t -> types.add("AUTHENTICATION_METHOD_TYPE_" + t));
    return new JsonObject().put("details", new JsonObject().put("totalResult", Integer.toString(types.size())))
      .put("authMethodTypes", types);
  }
}
