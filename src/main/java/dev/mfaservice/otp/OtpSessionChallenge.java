package dev.mfaservice.otp;

import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.LinkRules;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionChallenge;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;

/**
 * {@code challenges.otpSms {returnCode}} / {@code challenges.otpEmail {sendCode{urlTemplate} | returnCode{}}}: a login
 * code for the user's ready authenticator, queued in the outbox (sent once the session is written) or returned under
 * the answer's challenges.
 */
public final class OtpSessionChallenge implements SessionChallenge {
  private final OtpChannel channel;
  private final OtpRepository otp;
  private final CodeDelivery delivery;
  private final LinkRules links;

  public OtpSessionChallenge(OtpChannel channel, OtpRepository otp, CodeDelivery delivery, LinkRules links) {
    this.channel = channel;
    this.otp = otp;
    this.delivery = delivery;
    this.links = links;
  }

  @Override
  public SecondFactorType type() {
    return channel.type();
  }

  /** The channel's ready authenticator, read with the user. */
  @Override
  public Future<?> readAhead(SqlConnection tx, String userId) {
    return otp.readyFor(tx, channel, userId);
  }

  @Override
  public Future<Issued> issue(SqlConnection tx, FactorContext ctx, JsonObject request) {
    VerificationChoice choice = choice(request);
    String userId = ctx.user().id();
    return ctx.<Optional<OtpAuthenticator>>readAhead(() -> otp.readyFor(tx, channel, userId))
      .compose(found -> found.isEmpty() ? Future.failedFuture(OtpSessionCheck.notEnrolled(channel))
        : delivery.deliver(tx, ctx.sender(), ctx.user(), new CodeTarget(userId, OtpSessionCheck.loginPurpose(channel),
          found.get().id(), found.get().address()), channel.channel(),
          channel == OtpChannel.SMS ? "login_sms" : "login_email", choice))
      .map(sent -> new Issued(sent.returnedCode(), () -> delivery.dispatch(sent)));
  }

  /** SMS: ZITADEL's {@code returnCode} is a bool; email: the usual sendCode / returnCode oneof. */
  private VerificationChoice choice(JsonObject request) {
    if (channel == OtpChannel.SMS) {
      return new VerificationChoice(Boolean.TRUE.equals(request.getValue("returnCode"))
        ? VerificationChoice.Kind.RETURN : VerificationChoice.Kind.SEND, null);
    }
    return VerificationChoice.of(request, "challenges.otpEmail", links);
  }
}
