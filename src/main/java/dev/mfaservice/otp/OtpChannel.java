package dev.mfaservice.otp;

import dev.mfaservice.codes.Purpose;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.user.User;
import java.util.function.Function;

/**
 * What differs between OTP by email and OTP by SMS; everything else (authenticators, codes,
 * outbox, worker, limits) is one implementation. Error ids are ZITADEL's where API.md names them.
 */
public record OtpChannel(String channel, SecondFactorType type, Purpose enrolPurpose, String template, String eventPrefix,
                         Function<User, User.Contact> contact, String contactNotVerifiedId, String alreadyOnId,
                         String noun) {

  public static final OtpChannel EMAIL = new OtpChannel(Channels.EMAIL, SecondFactorType.SECOND_FACTOR_TYPE_OTP_EMAIL,
    Purpose.ENROL_EMAIL, "verify_email", "user.human.otp.email", User::email, "COMMAND-KLJ2d", "COMMAND-MKL2s", "email");
  public static final OtpChannel SMS = new OtpChannel(Channels.SMS, SecondFactorType.SECOND_FACTOR_TYPE_OTP_SMS,
    Purpose.ENROL_SMS, "verify_sms", "user.human.otp.sms", User::phone, "COMMAND-Q54j2", "COMMAND-Ad3g2", "phone");
}
