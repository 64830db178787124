package dev.mfaservice.user;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.Replies;
import dev.mfaservice.http.ValidRequest;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.notify.VerificationChoice;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** HTTP handlers of the contact email calls of user service v2. */
public final class ContactRoutes {
  private final ContactCommands commands;
  private final boolean allowHttpLinks;

  public ContactRoutes(ContactCommands commands, boolean allowHttpLinks) {
    this.commands = commands;
    this.allowHttpLinks = allowHttpLinks;
  }

  public void mount(ApiRouter api) {
    api.on("UserService_SetEmail", this::setEmail)
      .on("UserService_VerifyEmail", this::verifyEmail)
      .on("UserService_ResendEmailCode", this::resendEmailCode);
  }

  private void setEmail(RoutingContext ctx) {
    JsonObject body = ValidRequest.of(ctx).body();
    VerificationChoice choice = VerificationChoice.of(body, "body", allowHttpLinks);
    Replies.ok(ctx, commands.setEmail(Replies.caller(ctx), userId(ctx), body.getString("email").trim(), choice),
      ContactRoutes::codeResultJson);
  }

  private void verifyEmail(RoutingContext ctx) {
    Replies.ok(ctx, commands.verifyEmail(Replies.caller(ctx), userId(ctx),
      ValidRequest.of(ctx).body().getString("verificationCode")), d -> new JsonObject().put("details", WireJson.details(d)));
  }

  private void resendEmailCode(RoutingContext ctx) {
    VerificationChoice choice = VerificationChoice.of(ValidRequest.of(ctx).body(), "body", allowHttpLinks);
    Replies.ok(ctx, commands.resendEmailCode(Replies.caller(ctx), userId(ctx), choice), ContactRoutes::codeResultJson);
  }

  private static String userId(RoutingContext ctx) {
    return ValidRequest.of(ctx).parameter("userId");
  }

  static JsonObject codeResultJson(ContactCommands.CodeResult result) {
    return WireJson.putIfSet(new JsonObject().put("details", WireJson.details(result.details())), "verificationCode",
      result.verificationCode());
  }
}
