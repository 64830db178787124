package dev.mfaservice.otp;

import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.codes.Purpose;
import dev.mfaservice.codes.VerificationCodeRepository;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;

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
  public SecondFactorType type() {
    return channel.type();
  }

  /** The channel's ready authenticator and the user's newest live login code of it (locked). */
  private record Ahead(Optional<OtpAuthenticator> authenticator, Optional<VerificationCodeRepository.Pending> code) {
  }

  /** Both sent with the user's read, after the user's lock. */
  @Override
  public Future<?> readAhead(SqlConnection tx, String userId, String sessionId, JsonObject check) {
    return read(tx, userId);
  }

  private Future<Ahead> read(SqlConnection tx, String userId) {
    Future<Optional<OtpAuthenticator>> ready = otp.readyFor(tx, channel, userId);
    Future<Optional<VerificationCodeRepository.Pending>> code = codes.pendingOf(tx, userId, loginPurpose(channel));
    return Future.all(ready, code).map(v -> new Ahead(ready.result(), code.result()));
  }

  @Override
  public Future<Decision<JsonObject>> verify(SqlConnection tx, FactorContext ctx, JsonObject check) {
    String userId = ctx.user().id();
    return ctx.<Ahead>readAhead(() -> read(tx, userId)).map(ahead -> {
      if (ahead.authenticator().isEmpty()) {
        return Decision.refuse(notEnrolled(channel));
      }
      OtpAuthenticator ready = ahead.authenticator().get();
      VerificationCodes.Judged judged = codes.judge(tx,
        new CodeTarget(userId, loginPurpose(channel), ready.id(), ready.address()), ahead.code(), check.getString("code"));
      // the code's row is locked by this transaction: its write (used, or one more miss) cannot miss, and goes out
      // with the session's writes and the COMMIT
      ctx.sendWithSession(judged.write());
      return OtpAuthenticatorEnrolment.decideCode(judged.result()).map(v -> new JsonObject());
    });
  }

  /** The field of a channel under a session's checks, challenges and factors. */

  static Purpose loginPurpose(OtpChannel channel) {
    return channel == OtpChannel.SMS ? Purpose.LOGIN_SMS : Purpose.LOGIN_EMAIL;
  }

  static ApiError notEnrolled(OtpChannel channel) {
    return ApiError.failedPrecondition("SESSION-notEnrolled", "The user has no ready OTP " + channel.channel());
  }
}
