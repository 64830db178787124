package dev.mfaservice.totp;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The write model of a user's TOTP authenticator: what a command (or a sign-in's check) read — the factor, if any, and
 * the user — and the rules that decide on it, pure (no I/O). RegisterTOTP, VerifyTOTPRegistration and
 * {@code checks.totp} ask it; at enrolment the lockout's count sits between the state and the code (see
 * {@link Lockout}).
 */
public record TotpEnrolment(User user, Optional<TotpFactor> factor) {

  /** RegisterTOTP: a verified authenticator stays until it is removed; a pending one is replaced. */
  public Decision<Void> decideRegister() {
    if (factor.isPresent() && factor.get().verified()) {
      return Decision.refuse(ApiError.alreadyExists("COMMAND-do9se", "Multifactor OTP (OneTimePassword) is already set up"));
    }
    return Decision.accept();
  }

  /**
   * VerifyTOTPRegistration, before a code counts: the pending registration a code may prove. None, or one older than
   * {@code pendingSeconds} (expired only once past them), is nothing pending; a verified one is verified already; a
   * locked user is refused without counting.
   */
  public Decision<TotpFactor> decideVerify(int pendingSeconds, Instant now) {
    Optional<TotpFactor> live = factor.filter(f -> f.verified() || !expired(f, pendingSeconds, now));
    if (live.isEmpty()) {
      return Decision.refuse(nothingPending());
    }
    if (live.get().verified()) {
      return Decision.refuse(ApiError.failedPrecondition("COMMAND-qx4ls", "OTP is already verified"));
    }
    if (Lockout.LOCKED_STATE.equals(user.state())) {
      return Decision.refuse(Lockout.locked());
    }
    return Decision.accept(live.get());
  }

  /**
   * {@code checks.totp}: a code of the verified authenticator, as {@link #decideCode} (a locked user is the session's
   * rule). {@code secret} opens a factor's secret.
   */
  public Decision<Long> decideCheck(String code, Function<TotpFactor, String> secret, Instant now) {
    if (factor.isEmpty() || !factor.get().verified()) {
      return Decision.refuse(ApiError.failedPrecondition("SESSION-noTotp", "The user has no verified TOTP"));
    }
    TotpFactor verified = factor.get();
    return decideCode(verified, () -> secret.apply(verified), code, now);
  }

  /**
   * A submitted code, of registration or sign-in: the time step whose code it is (±1 step around {@code now}), if
   * newer than the factor's last accepted one (SEC T5). A wrong code, a malformed one and a replay (a step not newer)
   * are one refusal. {@code secret}, the factor's opened secret, is asked for only when the code is well formed.
   */
  public static Decision<Long> decideCode(TotpFactor factor, Supplier<String> secret, String code, Instant now) {
    String normalized = TotpCodes.normalize(code, factor.settings().digits());
    OptionalLong step = normalized == null ? OptionalLong.empty()
      : TotpCodes.matchingStep(secret.get(), factor.settings(), normalized, now);
    return step.isPresent() && step.getAsLong() > factor.lastUsedStep() ? Decision.accept(step.getAsLong())
      : Decision.refuse(invalidCode());
  }

  /**
   * RemoveTOTP, on what its delete found: the removed factor's verified flag, or empty when there was none (refused).
   * Accepted: whether the user is told (only a verified TOTP was a factor to sign in with; a pending one is no news).
   */
  public static Decision<Boolean> decideRemove(Optional<Boolean> deleted) {
    return deleted.<Decision<Boolean>>map(Decision::accept)
      .orElseGet(() -> Decision.refuse(ApiError.notFound("COMMAND-Hd9sd", "OTP is not set up for this user")));
  }

  private static boolean expired(TotpFactor pending, int pendingSeconds, Instant now) {
    return pending.createdAt().plus(Duration.ofSeconds(pendingSeconds)).isBefore(now);
  }

  static ApiError nothingPending() {
    return ApiError.notFound("COMMAND-3Mif9s", "No OTP registration is pending: register one first");
  }

  static ApiError invalidCode() {
    return ApiError.invalidArgument("EVENT-8isk2", "Invalid code");
  }
}
