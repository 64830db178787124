package dev.mfaservice.otp;

import static dev.mfaservice.support.Decided.accepted;
import static dev.mfaservice.support.Decided.refused;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeCheck;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.support.Decided;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.User;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of {@link OtpAuthenticatorEnrolment}, one case a row (as ZITADEL's command tests): the channel, user and
 * authenticator read, the request, and what is decided. No server, no database.
 */
class OtpAuthenticatorEnrolmentTest {
  static final String ORG = "o1";
  static final Caller SELF = new Caller("u1", ORG, Map.of());
  static final Caller USER_MANAGER = new Caller("m1", ORG, Map.of(Caller.ORG_USER_MANAGER, Set.of(ORG)));
  static final Caller ORG_OWNER = new Caller("m2", ORG, Map.of(Caller.ORG_OWNER, Set.of(ORG)));
  static final Caller IAM_OWNER = new Caller("admin", "instance", Map.of(Caller.IAM_OWNER, Set.of()));
  static final Caller OTHER_ORG_OWNER = new Caller("m3", "o2", Map.of(Caller.ORG_OWNER, Set.of("o2")));

  static final VerificationChoice SEND = new VerificationChoice(VerificationChoice.Kind.SEND, null);
  static final VerificationChoice RETURN = new VerificationChoice(VerificationChoice.Kind.RETURN, null);
  static final VerificationChoice VERIFIED = new VerificationChoice(VerificationChoice.Kind.VERIFIED, null);

  static final User.Contact EMAIL_VERIFIED = new User.Contact("alice@acme.test", true);
  static final User.Contact EMAIL_UNVERIFIED = new User.Contact("alice@acme.test", false);
  static final User.Contact PHONE_VERIFIED = new User.Contact("+41791234567", true);
  static final User.Contact PHONE_UNVERIFIED = new User.Contact("+41791234567", false);

  static final Decided DENIED = refused(ApiError.permissionDenied());
  static final Decided EMAIL_NOT_FOUND = refused(GrpcCode.NOT_FOUND, "OTP-notFound",
    "The user has no such OTP email authenticator");
  static final Decided SMS_NOT_FOUND = refused(GrpcCode.NOT_FOUND, "OTP-notFound",
    "The user has no such OTP sms authenticator");
  static final Decided ALREADY_VERIFIED = refused(GrpcCode.FAILED_PRECONDITION, "OTP-alreadyVerified",
    "The authenticator is verified already");
  static final Decided LOCKED = refused(Lockout.locked());

  /** name, given (what load read), when (the decision asked, with its input), then (what it decides). */
  record Case(String name, OtpAuthenticatorEnrolment given, Function<OtpAuthenticatorEnrolment, Decision<?>> when,
              Decided then) {
    @Override
    public String toString() {
      return name;
    }
  }

  static User user(String state, User.Contact email, User.Contact phone) {
    Instant t = Instant.EPOCH;
    return new User("u1", ORG, "alice", "Alice", "Liddell", "Alice Liddell", "en", email, phone, state, 1, t, t);
  }

  static final User ACTIVE = user("USER_STATE_ACTIVE", User.Contact.NONE, User.Contact.NONE);
  static final User LOCKED_USER = user(Lockout.LOCKED_STATE, User.Contact.NONE, User.Contact.NONE);

  static OtpAuthenticator own(boolean verified) {
    return new OtpAuthenticator("a1", "u1", "email", "otp@acme.test", verified);
  }

  static OtpAuthenticatorEnrolment email(User user, OtpAuthenticator found) {
    return new OtpAuthenticatorEnrolment(OtpChannel.EMAIL, user, Optional.ofNullable(found));
  }

  static OtpAuthenticatorEnrolment sms(User user, OtpAuthenticator found) {
    return new OtpAuthenticatorEnrolment(OtpChannel.SMS, user, Optional.ofNullable(found));
  }

  static Case add(String name, VerificationChoice choice, Caller caller, Decided then) {
    return new Case("add: " + name, OtpAuthenticatorEnrolment.of(OtpChannel.EMAIL, ACTIVE),
      e -> e.decideAdd(choice, caller), then);
  }

  static Case onContact(String name, OtpChannel channel, User.Contact email, User.Contact phone, Decided then) {
    return new Case("on contact: " + name,
      OtpAuthenticatorEnrolment.of(channel, user("USER_STATE_ACTIVE", email, phone)),
      OtpAuthenticatorEnrolment::decideEnableOnContact, then);
  }

  static Stream<Case> cases() {
    Decided emailNotVerified = refused(GrpcCode.FAILED_PRECONDITION, "COMMAND-KLJ2d", "The user's email is not verified");
    Decided phoneNotVerified = refused(GrpcCode.FAILED_PRECONDITION, "COMMAND-Q54j2", "The user's phone is not verified");
    OtpAuthenticator contact = new OtpAuthenticator("a0", "u1", "email", null, true);
    return Stream.of(
      add("the user has a code sent", SEND, SELF, accepted(false)),
      add("the user may not have the code returned", RETURN, SELF, DENIED),
      add("the user may not declare it verified", VERIFIED, SELF, DENIED),
      add("a user manager has the code returned", RETURN, USER_MANAGER, accepted(false)),
      add("a user manager declares it verified", VERIFIED, USER_MANAGER, accepted(true)),
      add("an org owner declares it verified", VERIFIED, ORG_OWNER, accepted(true)),
      add("an instance owner declares it verified", VERIFIED, IAM_OWNER, accepted(true)),
      add("an owner of another org may not", VERIFIED, OTHER_ORG_OWNER, DENIED),
      add("a manager has a code sent", SEND, USER_MANAGER, accepted(false)),

      onContact("email verified", OtpChannel.EMAIL, EMAIL_VERIFIED, User.Contact.NONE, accepted()),
      onContact("email not verified", OtpChannel.EMAIL, EMAIL_UNVERIFIED, PHONE_VERIFIED, emailNotVerified),
      onContact("no email", OtpChannel.EMAIL, User.Contact.NONE, PHONE_VERIFIED, emailNotVerified),
      onContact("phone verified", OtpChannel.SMS, User.Contact.NONE, PHONE_VERIFIED, accepted()),
      onContact("phone not verified", OtpChannel.SMS, EMAIL_VERIFIED, PHONE_UNVERIFIED, phoneNotVerified),
      onContact("no phone", OtpChannel.SMS, EMAIL_VERIFIED, User.Contact.NONE, phoneNotVerified),

      new Case("verify: no such authenticator", email(ACTIVE, null), OtpAuthenticatorEnrolment::decideVerify,
        EMAIL_NOT_FOUND),
      new Case("verify: no such SMS authenticator", sms(ACTIVE, null), OtpAuthenticatorEnrolment::decideVerify,
        SMS_NOT_FOUND),
      new Case("verify: the contact one has nothing to verify", email(ACTIVE, contact),
        OtpAuthenticatorEnrolment::decideVerify, EMAIL_NOT_FOUND),
      new Case("verify: a pending one", email(ACTIVE, own(false)), OtpAuthenticatorEnrolment::decideVerify,
        accepted(own(false))),
      new Case("verify: a verified one", email(ACTIVE, own(true)), OtpAuthenticatorEnrolment::decideVerify,
        ALREADY_VERIFIED),
      new Case("verify: a locked user", email(LOCKED_USER, own(false)), OtpAuthenticatorEnrolment::decideVerify, LOCKED),
      new Case("verify: not found comes before the lock", email(LOCKED_USER, null),
        OtpAuthenticatorEnrolment::decideVerify, EMAIL_NOT_FOUND),
      new Case("verify: verified already comes before the lock", email(LOCKED_USER, own(true)),
        OtpAuthenticatorEnrolment::decideVerify, ALREADY_VERIFIED),

      code(CodeCheck.ACCEPTED, accepted()),
      code(CodeCheck.NONE_PENDING, refused(GrpcCode.FAILED_PRECONDITION, "CODE-notPending",
        "No code is pending: request a new one")),
      code(CodeCheck.EXPIRED, refused(GrpcCode.FAILED_PRECONDITION, "CODE-QvUQ4P",
        "The code has expired: request a new one")),
      code(CodeCheck.WRONG, refused(GrpcCode.INVALID_ARGUMENT, "CODE-woT0xc", "The code is invalid")),

      new Case("remove: no such authenticator", email(ACTIVE, null),
        e -> OtpAuthenticatorEnrolment.decideRemove(OtpChannel.EMAIL, Optional.empty()), EMAIL_NOT_FOUND),
      new Case("remove: a pending one, nobody told", email(ACTIVE, null),
        e -> OtpAuthenticatorEnrolment.decideRemove(OtpChannel.EMAIL, Optional.of(false)), accepted(false)),
      new Case("remove: a verified one, the user told", email(ACTIVE, null),
        e -> OtpAuthenticatorEnrolment.decideRemove(OtpChannel.EMAIL, Optional.of(true)), accepted(true)),
      new Case("remove on contact: it was on", email(ACTIVE, null),
        e -> OtpAuthenticatorEnrolment.decideDisableOnContact(OtpChannel.EMAIL, true), accepted()),
      new Case("remove on contact: email was off", email(ACTIVE, null),
        e -> OtpAuthenticatorEnrolment.decideDisableOnContact(OtpChannel.EMAIL, false),
        refused(GrpcCode.NOT_FOUND, "COMMAND-Hd9sd", "OTP email is not set up for this user")),
      new Case("remove on contact: SMS was off", sms(ACTIVE, null),
        e -> OtpAuthenticatorEnrolment.decideDisableOnContact(OtpChannel.SMS, false),
        refused(GrpcCode.NOT_FOUND, "COMMAND-Hd9sd", "OTP sms is not set up for this user")));
  }

  static Case code(CodeCheck check, Decided then) {
    return new Case("code: " + check, email(ACTIVE, own(false)), e -> OtpAuthenticatorEnrolment.decideCode(check), then);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    c.then().assertMatches(c.when().apply(c.given()), c.name());
  }
}
