package dev.mfaservice.totp;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;

/**
 * HTTP handlers of the TOTP calls: the self-service auth v1 family acts on the token's user,
 * the user service v2 family on the user in the path. Both reach the same commands.
 */
public final class TotpRoutes {
  private final TotpCommands commands;

  public TotpRoutes(TotpCommands commands) {
    this.commands = commands;
  }

  public void mount(ApiRouter api) {
    api.on("AuthService_AddMyAuthFactorOTP", this::addMine)
      .on("AuthService_VerifyMyAuthFactorOTP", this::verifyMine)
      .on("AuthService_RemoveMyAuthFactorOTP", this::removeMine)
      .on("UserService_RegisterTOTP", this::register)
      .on("UserService_VerifyTOTPRegistration", this::verify)
      .on("UserService_RemoveTOTP", this::remove);
  }

  private void addMine(ApiCall ctx) {
    ctx.ok(commands.register(ctx.caller(), ctx.caller().userId()),
      r -> new JsonObject().put("url", r.uri()).put("secret", r.secret()).put("details", WireJson.details(r.details())));
  }

  private void verifyMine(ApiCall ctx) {
    ctx.okDetails(commands.verify(ctx.caller(), ctx.caller().userId(), ctx.request().body().getString("code")));
  }

  private void removeMine(ApiCall ctx) {
    ctx.okDetails(commands.remove(ctx.caller(), ctx.caller().userId()));
  }

  private void register(ApiCall ctx) {
    ctx.ok(commands.register(ctx.caller(), userId(ctx)),
      r -> new JsonObject().put("details", WireJson.details(r.details())).put("uri", r.uri()).put("secret", r.secret()));
  }

  private void verify(ApiCall ctx) {
    ctx.okDetails(commands.verify(ctx.caller(), userId(ctx), ctx.request().body().getString("code")));
  }

  private void remove(ApiCall ctx) {
    ctx.okDetails(commands.remove(ctx.caller(), userId(ctx)));
  }

  private static String userId(ApiCall ctx) {
    return ctx.request().parameter("userId");
  }

}
