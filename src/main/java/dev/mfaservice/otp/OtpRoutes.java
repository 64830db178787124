package dev.mfaservice.otp;

import dev.mfaservice.notify.LinkRules;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.notify.VerificationChoice;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;

/**
 * HTTP handlers of OTP by email and by SMS: the v3alpha authenticator calls (seeds 002, 003) and
 * v2 AddOTPEmail/RemoveOTPEmail, AddOTPSMS/RemoveOTPSMS. Only the JSON names differ per channel.
 */
public final class OtpRoutes {
  private final OtpCommands commands;
  private final LinkRules links;

  public OtpRoutes(OtpCommands commands, LinkRules links) {
    this.commands = commands;
    this.links = links;
  }

  /** The JSON names of one channel's calls. */
  private record Names(OtpChannel channel, String holder, String address, String idField, String idParam) {
  }

  private static final Names EMAIL = new Names(OtpChannel.EMAIL, "email", "address", "otpEmailId", "otpEmailId");
  private static final Names SMS = new Names(OtpChannel.SMS, "phone", "number", "otpSmsId", "otpSmsId");

  public void mount(ApiRouter api) {
    api.on("UserServiceV3alpha_AddOTPEmailAuthenticator", ctx -> add(ctx, EMAIL))
      .on("UserServiceV3alpha_VerifyOTPEmailAuthenticator", ctx -> verify(ctx, EMAIL))
      .on("UserServiceV3alpha_RemoveOTPEmailAuthenticator", ctx -> remove(ctx, EMAIL))
      .on("UserServiceV3alpha_AddOTPSMSAuthenticator", ctx -> add(ctx, SMS))
      .on("UserServiceV3alpha_VerifyOTPSMSAuthenticator", ctx -> verify(ctx, SMS))
      .on("UserServiceV3alpha_RemoveOTPSMSAuthenticator", ctx -> remove(ctx, SMS))
      .on("UserService_AddOTPEmail", ctx -> ctx.okDetails(commands.enableOnContact(ctx.caller(), OtpChannel.EMAIL, userId(ctx))))
      .on("UserService_RemoveOTPEmail", ctx -> ctx.okDetails(commands.disableOnContact(ctx.caller(), OtpChannel.EMAIL, userId(ctx))))
      .on("UserService_AddOTPSMS", ctx -> ctx.okDetails(commands.enableOnContact(ctx.caller(), OtpChannel.SMS, userId(ctx))))
      .on("UserService_RemoveOTPSMS", ctx -> ctx.okDetails(commands.disableOnContact(ctx.caller(), OtpChannel.SMS, userId(ctx))));
  }

  private void add(ApiCall ctx, Names names) {
    JsonObject holder = ctx.request().body().getJsonObject(names.holder());
    VerificationChoice choice = VerificationChoice.of(holder, names.holder(), links);
    ctx.ok(commands.addAuthenticator(ctx.caller(), names.channel(), userId(ctx), holder.getString(names.address()),
        names.holder() + "." + names.address(), choice),
      added -> WireJson.putIfSet(new JsonObject().put("details", WireJson.details(added.details()))
        .put(names.idField(), added.id()), "verificationCode", added.verificationCode()));
  }

  private void verify(ApiCall ctx, Names names) {
    ctx.okDetails(commands.verifyAuthenticator(ctx.caller(), names.channel(), userId(ctx),
      ctx.request().parameter(names.idParam()), ctx.request().body().getString("code")));
  }

  private void remove(ApiCall ctx, Names names) {
    ctx.okDetails(commands.removeAuthenticator(ctx.caller(), names.channel(), userId(ctx),
      ctx.request().parameter(names.idParam())));
  }


  private static String userId(ApiCall ctx) {
    return ctx.request().parameter("userId");
  }
}
