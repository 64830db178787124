package dev.mfaservice.totp;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.Replies;
import dev.mfaservice.http.ValidRequest;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.store.Details;
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
    Replies.ok(ctx, commands.register(Replies.caller(ctx), Replies.caller(ctx).userId()),
      r -> new JsonObject().put("url", r.uri()).put("secret", r.secret()).put("details", WireJson.details(r.details())));
  }

  private void verifyMine(ApiCall ctx) {
    Replies.ok(ctx, commands.verify(Replies.caller(ctx), Replies.caller(ctx).userId(),
      ValidRequest.of(ctx).body().getString("code")), TotpRoutes::detailsJson);
  }

  private void removeMine(ApiCall ctx) {
    Replies.ok(ctx, commands.remove(Replies.caller(ctx), Replies.caller(ctx).userId()), TotpRoutes::detailsJson);
  }

  private void register(ApiCall ctx) {
    Replies.ok(ctx, commands.register(Replies.caller(ctx), userId(ctx)),
      r -> new JsonObject().put("details", WireJson.details(r.details())).put("uri", r.uri()).put("secret", r.secret()));
  }

  private void verify(ApiCall ctx) {
    Replies.ok(ctx, commands.verify(Replies.caller(ctx), userId(ctx), ValidRequest.of(ctx).body().getString("code")),
      TotpRoutes::detailsJson);
  }

  private void remove(ApiCall ctx) {
    Replies.ok(ctx, commands.remove(Replies.caller(ctx), userId(ctx)), TotpRoutes::detailsJson);
  }

  private static String userId(ApiCall ctx) {
    return ValidRequest.of(ctx).parameter("userId");
  }

  private static JsonObject detailsJson(Details details) {
    return new JsonObject().put("details", WireJson.details(details));
  }
}
