package dev.mfaservice.user;

import dev.mfaservice.notify.LinkRules;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.notify.VerificationChoice;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;

/** HTTP handlers of the contact email and phone calls of user service v2. */
public final class ContactRoutes {
  private final ContactCommands commands;
  private final LinkRules links;

  public ContactRoutes(ContactCommands commands, LinkRules links) {
    this.commands = commands;
    this.links = links;
  }

  public void mount(ApiRouter api) {
    api.on("UserService_SetEmail", ctx -> set(ctx, ContactKind.EMAIL))
      .on("UserService_VerifyEmail", ctx -> verify(ctx, ContactKind.EMAIL))
      .on("UserService_ResendEmailCode", ctx -> resend(ctx, ContactKind.EMAIL))
      .on("UserService_SetPhone", ctx -> set(ctx, ContactKind.PHONE))
      .on("UserService_VerifyPhone", ctx -> verify(ctx, ContactKind.PHONE))
      .on("UserService_ResendPhoneCode", ctx -> resend(ctx, ContactKind.PHONE));
  }

  private void set(ApiCall ctx, ContactKind kind) {
    JsonObject body = ctx.request().body();
    VerificationChoice choice = VerificationChoice.of(body, "body", links);
    ctx.ok(commands.set(ctx.caller(), kind, userId(ctx), body.getString(kind.noun()), choice),
      ContactRoutes::codeResultJson);
  }

  private void verify(ApiCall ctx, ContactKind kind) {
    ctx.okDetails(commands.verify(ctx.caller(), kind, userId(ctx), ctx.request().body().getString("verificationCode")));
  }

  private void resend(ApiCall ctx, ContactKind kind) {
    VerificationChoice choice = VerificationChoice.of(ctx.request().body(), "body", links);
    ctx.ok(commands.resendCode(ctx.caller(), kind, userId(ctx), choice), ContactRoutes::codeResultJson);
  }

  private static String userId(ApiCall ctx) {
    return ctx.request().parameter("userId");
  }

  static JsonObject codeResultJson(ContactCommands.CodeResult result) {
    return WireJson.putIfSet(new JsonObject().put("details", WireJson.details(result.details())), "verificationCode",
      result.verificationCode());
  }
}
