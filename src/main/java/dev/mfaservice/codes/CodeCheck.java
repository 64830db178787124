package dev.mfaservice.codes;

import dev.mfaservice.errors.ApiError;

/**
 * The outcome of checking a submitted code. A failed check is an outcome, not an exception: the
 * counted miss must be committed even though the caller is refused.
 */
public enum CodeCheck {
  ACCEPTED,
  NONE_PENDING,
  EXPIRED,
  WRONG;

  /** The API error of a refusal (API.md: expired CODE-QvUQ4P, wrong CODE-woT0xc). */
  public ApiError error() {
    return switch (this) {
      case NONE_PENDING -> ApiError.failedPrecondition("CODE-notPending", "No code is pending: request a new one");
      case EXPIRED -> ApiError.failedPrecondition("CODE-QvUQ4P", "The code has expired: request a new one");
      case WRONG -> ApiError.invalidArgument("CODE-woT0xc", "The code is invalid");
      case ACCEPTED -> throw new IllegalStateException("an accepted code is no error");
    };
  }
}
