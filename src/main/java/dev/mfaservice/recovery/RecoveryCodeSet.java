package dev.mfaservice.recovery;

import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The write model of a user's recovery codes: the unused codes of the user's set as a check read them (a used code is
 * no longer among them), and the rules that decide on generating, checking and removing, pure (no I/O). A new set
 * replaces the old one whatever it held: generating has no rule on the set there is.
 */
record RecoveryCodeSet(List<RecoveryCodeRepository.StoredCode> unused) {

  /**
   * GenerateRecoveryCodes: how many codes the new set has. {@code count} 0 or absent is the configured default;
   * otherwise 1 to the configured maximum, else refused (before the user is even read).
   */
  static Decision<Integer> decideGenerate(Integer count, RecoveryCodeSettings settings) {
    int size = count == null || count == 0 ? settings.defaultCount() : count;
    if (size < 1 || size > settings.maxCount()) {
      return Decision.refuse(ApiError.invalidArgument("RECOVERY-count",
        "count must be between 1 and " + settings.maxCount() + " (0 or none = " + settings.defaultCount() + ")"));
    }
    return Decision.accept(size);
  }

  /**
   * {@code checks.recoveryCode}: with no unused code left, refused as such; otherwise the input, normalized (case,
   * spaces, dashes), is compared with every unused code without stopping at a match (each comparison, by
   * {@code matches}, in constant time). Accepted: the position of the code to spend. A malformed code is a wrong one.
   */
  Decision<Integer> decideCheck(String input, BiPredicate<CodeHasher.Hashed, String> matches) {
    if (unused.isEmpty()) {
      return Decision.refuse(ApiError.failedPrecondition("RECOVERY-noCodes", "The user has no unused recovery codes"));
    }
    String code = RecoveryCodeFormat.normalize(input);
    int position = code == null ? -1 : matching(code, matches);
    return position < 0 ? Decision.refuse(invalid()) : Decision.accept(position);
  }

  /** RemoveRecoveryCodes (no policy asked), on how many codes its delete found: none is refused. */
  static Decision<Void> decideRemove(int deleted) {
    return deleted == 0 ? Decision.refuse(ApiError.notFound("RECOVERY-none", "The user has no recovery codes"))
      : Decision.accept();
  }

  /** The position of the code that matches, or -1; every code is compared, whatever matched before. */
  private int matching(String code, BiPredicate<CodeHasher.Hashed, String> matches) {
    int found = -1;
    for (RecoveryCodeRepository.StoredCode stored : unused) {
      boolean equal = matches.test(stored.hashed(), code);
      found = equal && found < 0 ? stored.position() : found;
    }
    return found;
  }

  static ApiError invalid() {
    return ApiError.invalidArgument("RECOVERY-invalid", "Invalid recovery code");
  }
}
