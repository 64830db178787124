package dev.mfaservice.otp;

import dev.mfaservice.notify.LinkRules;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.notify.VerificationChoice;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;

/**
 * HTTP handlers of OTP by email or by SMS (one instance per channel): the v3alpha authenticator calls
 * (seeds 002, 003) and v2 AddOTPEmail/RemoveOTPEmail, AddOTPSMS/RemoveOTPSMS. Only the names differ per channel.
 */
public final class OtpRoutes {
  private final OtpCommands commands;
  private final LinkRules links;
  private final Names names;

  public OtpRoutes(OtpCommands commands, LinkRules links, OtpChannel channel) {
    this.commands = commands;
    this.links = links;
    this.names = channel == OtpChannel.SMS ? SMS : EMAIL;
  }

  /** The names of one channel's calls: its part of their operation ids, and their JSON names. */
  private record Names(OtpChannel channel, String op, String holder, String address, String idField) {
  }

  private static final Names EMAIL = new Names(OtpChannel.EMAIL, "OTPEmail", "email", "address", "otpEmailId");
  private static final Names SMS = new Names(OtpChannel.SMS, "OTPSMS", "phone", "number", "otpSmsId");

  public void mount(ApiRouter api) {
    OtpChannel channel = names.channel();
    api.on("UserServiceV3alpha_Add" + names.op() + "Authenticator", ctx -> add(ctx, names))
      .on("UserServiceV3alpha_Verify" + names.op() + "Authenticator", ctx -> verify(ctx, names))
      .on("UserServiceV3alpha_Remove" + names.op() + "Authenticator", ctx -> remove(ctx, names))
      .on("UserService_Add" + names.op(), ctx -> ctx.okDetails(commands.enableOnContact(ctx.caller(), channel, userId(ctx))))
      .on("UserService_Remove" + names.op(), ctx -> ctx.okDetails(commands.disableOnContact(ctx.caller(), channel, userId(ctx))));
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
      ctx.request().parameter(names.idField()), ctx.request().body().getString("code")));
  }

  private void remove(ApiCall ctx, Names names) {
    ctx.okDetails(commands.removeAuthenticator(ctx.caller(), names.channel(), userId(ctx),
      ctx.request().parameter(names.idField())));
  }


  private static String userId(ApiCall ctx) {
    return ctx.request().parameter("userId");
  }
}
