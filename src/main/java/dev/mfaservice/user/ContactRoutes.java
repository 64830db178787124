package dev.mfaservice.user;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.Replies;
import dev.mfaservice.http.ValidRequest;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.notify.VerificationChoice;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;

/** HTTP handlers of the contact email and phone calls of user service v2. */
public final class ContactRoutes {
  private final ContactCommands commands;
  private final boolean allowHttpLinks;

  public ContactRoutes(ContactCommands commands, boolean allowHttpLinks) {
    this.commands = commands;
    this.allowHttpLinks = allowHttpLinks;
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
    JsonObject body = ValidRequest.of(ctx).body();
    VerificationChoice choice = VerificationChoice.of(body, "body", allowHttpLinks);
    Replies.ok(ctx, commands.set(Replies.caller(ctx), kind, userId(ctx), body.getString(kind.noun()), choice),
      ContactRoutes::codeResultJson);
  }

  private void verify(ApiCall ctx, ContactKind kind) {
    Replies.ok(ctx, commands.verify(Replies.caller(ctx), kind, userId(ctx),
      ValidRequest.of(ctx).body().getString("verificationCode")), d -> new JsonObject().put("details", WireJson.details(d)));
  }

  private void resend(ApiCall ctx, ContactKind kind) {
    VerificationChoice choice = VerificationChoice.of(ValidRequest.of(ctx).body(), "body", allowHttpLinks);
    Replies.ok(ctx, commands.resendCode(Replies.caller(ctx), kind, userId(ctx), choice), ContactRoutes::codeResultJson);
  }

  private static String userId(ApiCall ctx) {
    return ValidRequest.of(ctx).parameter("userId");
  }

  static JsonObject codeResultJson(ContactCommands.CodeResult result) {
    return WireJson.putIfSet(new JsonObject().put("details", WireJson.details(result.details())), "verificationCode",
      result.verificationCode());
  }
}
