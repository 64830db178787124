package dev.mfaservice.otp;

import dev.mfaservice.codes.CodeCheck;
import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.codes.Purpose;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/** {@code checks.otpSms / otpEmail {code}}: the login code last sent or returned for the user's ready authenticator. */
public final class OtpSessionCheck implements SessionCheck {
  private final OtpChannel channel;
  private final OtpRepository otp;
  private final VerificationCodes codes;

  public OtpSessionCheck(OtpChannel channel, OtpRepository otp, VerificationCodes codes) {
    this.channel = channel;
    this.otp = otp;
    this.codes = codes;
  }

  @Override
  public String name() {
    return sessionName(channel);
  }

  @Override
  public SecondFactorType policyType() {
    return channel.type();
  }

  @Override
  public Future<ApiError> verify(SqlConnection tx, FactorContext ctx, JsonObject check, JsonObject proof) {
    String userId = ctx.user().id();
    return otp.readyFor(tx, channel, userId).compose(found -> found.isEmpty()
      ? Future.succeededFuture(notEnrolled(channel))
      : codes.check(tx, new CodeTarget(userId, loginPurpose(channel), found.get().id(), found.get().address()),
          check.getString("code"))
        .map(result -> result == CodeCheck.ACCEPTED ? null : result.error()));
  }

  /** The field of a channel under a session's checks, challenges and factors. */
  static String sessionName(OtpChannel channel) {
    return channel == OtpChannel.SMS ? "otpSms" : "otpEmail";
  }

  static Purpose loginPurpose(OtpChannel channel) {
    return channel == OtpChannel.SMS ? Purpose.LOGIN_SMS : Purpose.LOGIN_EMAIL;
  }

  static ApiError notEnrolled(OtpChannel channel) {
    return ApiError.failedPrecondition("SESSION-notEnrolled", "The user has no ready OTP " + channel.channel());
  }
}
