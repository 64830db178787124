package dev.mfaservice.otp;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeCheck;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.User;
import java.util.Optional;

/**
 * The write model of a user's OTP authenticator of one channel: what a command read — the user and, when it names
 * one, the authenticator (empty: none found) — and the rules that decide on it, pure (no I/O). An authenticator's own
 * address and the user's contact address are unique in the database: those refusals come from its keys.
 */
public record OtpAuthenticatorEnrolment(OtpChannel channel, User user, Optional<OtpAuthenticator> authenticator) {

  /** Before an authenticator is named (adding one, or OTP on the contact address). */
  public static OtpAuthenticatorEnrolment of(OtpChannel channel, User user) {
    return new OtpAuthenticatorEnrolment(channel, user, Optional.empty());
  }

  /**
   * AddOTPEmail / AddOTPSMS with an address of its own: returning the code or declaring the address verified is for a
   * manager of the user's org, not the user itself (SEC O6). Accepted: whether it is verified from the start.
   */
  public Decision<Boolean> decideAdd(VerificationChoice choice, Caller caller) {
    if (choice.needsManager() && !caller.mayManageUsersOf(user.orgId())) {
      return Decision.refuse(ApiError.permissionDenied());
    }
    return Decision.accept(choice.kind() == VerificationChoice.Kind.VERIFIED);
  }

  /** v2 AddOTPEmail / AddOTPSMS: OTP on the user's contact address, which must be there and verified. */
  public Decision<Void> decideEnableOnContact() {
    User.Contact contact = channel.contact().apply(user);
    if (contact.address() == null || !contact.verified()) {
      return Decision.refuse(ApiError.failedPrecondition(channel.contactNotVerifiedId(),
        "The user's " + channel.noun() + " is not verified"));
    }
    return Decision.accept();
  }

  /**
   * Verifying an authenticator, before the code counts: one with an address of its own (the contact one has nothing
   * to verify), not verified yet; a locked user is refused without counting.
   */
  public Decision<OtpAuthenticator> decideVerify() {
    Optional<OtpAuthenticator> own = authenticator.filter(a -> a.address() != null);
    if (own.isEmpty()) {
      return Decision.refuse(notFound(channel));
    }
    if (own.get().verified()) {
      return Decision.refuse(ApiError.failedPrecondition("OTP-alreadyVerified", "The authenticator is verified already"));
    }
    if (Lockout.LOCKED_STATE.equals(user.state())) {
      return Decision.refuse(Lockout.locked());
    }
    return Decision.accept(own.get());
  }

  /** The submitted code as its check found it: accepted, or the check's refusal (none pending, expired, wrong). */
  public static Decision<Void> decideCode(CodeCheck check) {
    return check == CodeCheck.ACCEPTED ? Decision.accept() : Decision.refuse(check.error());
  }

  /**
   * Removing an authenticator with an address of its own, on what its delete found: the removed one's verified flag,
   * or empty when there was none (refused). Accepted: whether the user is told (only a verified one was ready).
   */
  public static Decision<Boolean> decideRemove(OtpChannel channel, Optional<Boolean> deleted) {
    return deleted.<Decision<Boolean>>map(Decision::accept).orElseGet(() -> Decision.refuse(notFound(channel)));
  }

  /** v2 RemoveOTPEmail / RemoveOTPSMS, on whether its delete found OTP on the contact address. */
  public static Decision<Void> decideDisableOnContact(OtpChannel channel, boolean deleted) {
    return deleted ? Decision.accept() : Decision.refuse(ApiError.notFound("COMMAND-Hd9sd",
      "OTP " + channel.channel() + " is not set up for this user"));
  }

  static ApiError notFound(OtpChannel channel) {
    return ApiError.notFound("OTP-notFound", "The user has no such OTP " + channel.channel() + " authenticator");
  }
}
