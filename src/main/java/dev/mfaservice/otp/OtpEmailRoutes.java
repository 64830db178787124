package dev.mfaservice.otp;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.Replies;
import dev.mfaservice.http.ValidRequest;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.store.Details;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP handlers of OTP email: the v3alpha authenticator calls (seed 002) and v2 AddOTPEmail/RemoveOTPEmail. */
public final class OtpEmailRoutes {
  private final OtpEmailCommands commands;
  private final boolean allowHttpLinks;

  public OtpEmailRoutes(OtpEmailCommands commands, boolean allowHttpLinks) {
    this.commands = commands;
    this.allowHttpLinks = allowHttpLinks;
  }

  public void mount(ApiRouter api) {
    api.on("UserServiceV3alpha_AddOTPEmailAuthenticator", this::add)
      .on("UserServiceV3alpha_VerifyOTPEmailAuthenticator", this::verify)
      .on("UserServiceV3alpha_RemoveOTPEmailAuthenticator", this::remove)
      .on("UserService_AddOTPEmail", ctx -> details(ctx, commands.enableOnContact(Replies.caller(ctx), userId(ctx))))
      .on("UserService_RemoveOTPEmail", ctx -> details(ctx, commands.disableOnContact(Replies.caller(ctx), userId(ctx))));
  }

  private void add(RoutingContext ctx) {
    JsonObject email = ValidRequest.of(ctx).body().getJsonObject("email");
    VerificationChoice choice = VerificationChoice.of(email, "email", allowHttpLinks);
    Replies.ok(ctx, commands.addAuthenticator(Replies.caller(ctx), userId(ctx), email.getString("address").trim(), choice),
      added -> WireJson.putIfSet(new JsonObject().put("details", WireJson.details(added.details()))
        .put("otpEmailId", added.otpEmailId()), "verificationCode", added.verificationCode()));
  }

  private void verify(RoutingContext ctx) {
    details(ctx, commands.verifyAuthenticator(Replies.caller(ctx), userId(ctx), ValidRequest.of(ctx).parameter("otpEmailId"),
      ValidRequest.of(ctx).body().getString("code")));
  }

  private void remove(RoutingContext ctx) {
    details(ctx, commands.removeAuthenticator(Replies.caller(ctx), userId(ctx), ValidRequest.of(ctx).parameter("otpEmailId")));
  }

  private static void details(RoutingContext ctx, io.vertx.core.Future<Details> result) {
    Replies.ok(ctx, result, d -> new JsonObject().put("details", WireJson.details(d)));
  }

  private static String userId(RoutingContext ctx) {
    return ValidRequest.of(ctx).parameter("userId");
  }
}
