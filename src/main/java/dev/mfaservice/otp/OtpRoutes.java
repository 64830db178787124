package dev.mfaservice.otp;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.Replies;
import dev.mfaservice.http.ValidRequest;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.store.Details;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;

/**
 * HTTP handlers of OTP by email and by SMS: the v3alpha authenticator calls (seeds 002, 003) and
 * v2 AddOTPEmail/RemoveOTPEmail, AddOTPSMS/RemoveOTPSMS. Only the JSON names differ per channel.
 */
public final class OtpRoutes {
  private final OtpCommands commands;
  private final boolean allowHttpLinks;

  public OtpRoutes(OtpCommands commands, boolean allowHttpLinks) {
    this.commands = commands;
    this.allowHttpLinks = allowHttpLinks;
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
      .on("UserService_AddOTPEmail", ctx -> details(ctx, commands.enableOnContact(Replies.caller(ctx), OtpChannel.EMAIL, userId(ctx))))
      .on("UserService_RemoveOTPEmail", ctx -> details(ctx, commands.disableOnContact(Replies.caller(ctx), OtpChannel.EMAIL, userId(ctx))))
      .on("UserService_AddOTPSMS", ctx -> details(ctx, commands.enableOnContact(Replies.caller(ctx), OtpChannel.SMS, userId(ctx))))
      .on("UserService_RemoveOTPSMS", ctx -> details(ctx, commands.disableOnContact(Replies.caller(ctx), OtpChannel.SMS, userId(ctx))));
  }

  private void add(ApiCall ctx, Names names) {
    JsonObject holder = ValidRequest.of(ctx).body().getJsonObject(names.holder());
    VerificationChoice choice = VerificationChoice.of(holder, names.holder(), allowHttpLinks);
    Replies.ok(ctx, commands.addAuthenticator(Replies.caller(ctx), names.channel(), userId(ctx), holder.getString(names.address()),
        names.holder() + "." + names.address(), choice),
      added -> WireJson.putIfSet(new JsonObject().put("details", WireJson.details(added.details()))
        .put(names.idField(), added.id()), "verificationCode", added.verificationCode()));
  }

  private void verify(ApiCall ctx, Names names) {
    details(ctx, commands.verifyAuthenticator(Replies.caller(ctx), names.channel(), userId(ctx),
      ValidRequest.of(ctx).parameter(names.idParam()), ValidRequest.of(ctx).body().getString("code")));
  }

  private void remove(ApiCall ctx, Names names) {
    details(ctx, commands.removeAuthenticator(Replies.caller(ctx), names.channel(), userId(ctx),
      ValidRequest.of(ctx).parameter(names.idParam())));
  }

  private static void details(ApiCall ctx, Future<Details> result) {
    Replies.ok(ctx, result, d -> new JsonObject().put("details", WireJson.details(d)));
  }

  private static String userId(ApiCall ctx) {
    return ValidRequest.of(ctx).parameter("userId");
  }
}
