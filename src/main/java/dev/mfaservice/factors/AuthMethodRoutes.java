package dev.mfaservice.factors;

import dev.mfaservice.factors.AuthMethodQueries.AuthMethod;
import dev.mfaservice.http.ApiRouter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;
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
    ctx.ok(queries.readyMethods(ctx.caller(), ctx.caller().userId()), AuthMethodRoutes::factorsJson);
  }

  private void listTypes(ApiCall ctx) {
    ctx.ok(queries.readyMethods(ctx.caller(), ctx.request().parameter("userId")),
      AuthMethodRoutes::typesJson);
  }

  private static JsonObject factorsJson(List<AuthMethod> methods) {
    JsonArray result = new JsonArray();
    methods.forEach(m -> result.add(new JsonObject().put("state", "AUTH_FACTOR_STATE_READY").put(v1Name(m), new JsonObject())));
    return new JsonObject().put("result", result);
  }

  private static JsonObject typesJson(List<AuthMethod> methods) {
    JsonArray types = new JsonArray();
    methods.forEach(m -> types.add("AUTHENTICATION_METHOD_TYPE_" + m.name()));
    return new JsonObject().put("details", new JsonObject().put("totalResult", Integer.toString(methods.size())))
      .put("authMethodTypes", types);
  }

  /** The auth v1 AuthFactor oneof field of each type. */
  private static String v1Name(AuthMethod method) {
    return switch (method) {
      case TOTP -> "otp";
      case OTP_SMS -> "otpSms";
      case OTP_EMAIL -> "otpEmail";
    };
  }
}
