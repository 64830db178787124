package dev.mfaservice.recovery;

import static dev.mfaservice.support.Decided.accepted;
import static dev.mfaservice.support.Decided.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.support.Decided;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of {@link RecoveryCodeSet}, one case a row (as ZITADEL's command tests): the unused codes read, the
 * request, and what is decided. Codes are "hashed" as themselves here: the keyed hash is {@code CodeHasher}'s own
 * business. No server, no database.
 */
class RecoveryCodeSetTest {
  static final RecoveryCodeSettings TEN_OF_TWENTY = new RecoveryCodeSettings(10, 20);
  static final RecoveryCodeSettings FIVE_OF_FIVE = new RecoveryCodeSettings(5, 5);
  /** A set of four whose code at position 1 was used (so it is not among the unused ones). */
  static final RecoveryCodeSet SET = set(0, "7KQ4MXR2PZ", 2, "ABCDEFGHJK", 3, "2345678923");
  static final RecoveryCodeSet EMPTY = new RecoveryCodeSet(List.of());
  static final String USED = "QQQQQWWWWW";

  static final Decided NO_CODES = refused(GrpcCode.FAILED_PRECONDITION, "RECOVERY-noCodes",
    "The user has no unused recovery codes");
  static final Decided INVALID = refused(GrpcCode.INVALID_ARGUMENT, "RECOVERY-invalid", "Invalid recovery code");

  /** name, given (what load read), when (the decision asked, with its input), then (what it decides). */
  record Case(String name, RecoveryCodeSet given, Function<RecoveryCodeSet, Decision<?>> when, Decided then) {
    @Override
    public String toString() {
      return name;
    }
  }

  static RecoveryCodeSet set(Object... positionsAndCodes) {
    List<RecoveryCodeRepository.StoredCode> unused = new ArrayList<>();
    for (int i = 0; i < positionsAndCodes.length; i += 2) {
      byte[] hash = ((String) positionsAndCodes[i + 1]).getBytes(StandardCharsets.US_ASCII);
      unused.add(new RecoveryCodeRepository.StoredCode((Integer) positionsAndCodes[i], new CodeHasher.Hashed(hash, "k1")));
    }
    return new RecoveryCodeSet(List.copyOf(unused));
  }

  static final BiPredicate<CodeHasher.Hashed, String> SAME =
    (stored, code) -> new String(stored.hash(), StandardCharsets.US_ASCII).equals(code);

  static Case generate(String name, RecoveryCodeSettings settings, Integer count, Decided then) {
    return new Case("generate: " + name, SET, s -> RecoveryCodeSet.decideGenerate(count, settings), then);
  }

  static Decided countRefused(int max, int defaultCount) {
    return refused(GrpcCode.INVALID_ARGUMENT, "RECOVERY-count",
      "count must be between 1 and " + max + " (0 or none = " + defaultCount + ")");
  }

  static Case check(String name, RecoveryCodeSet given, String input, Decided then) {
    return new Case("check: " + name, given, s -> s.decideCheck(input, SAME), then);
  }

  static Stream<Case> cases() {
    return Stream.of(
      generate("none named is the default", TEN_OF_TWENTY, null, accepted(10)),
      generate("0 is the default", TEN_OF_TWENTY, 0, accepted(10)),
      generate("one, the least", TEN_OF_TWENTY, 1, accepted(1)),
      generate("the most", TEN_OF_TWENTY, 20, accepted(20)),
      generate("one more than the most", TEN_OF_TWENTY, 21, countRefused(20, 10)),
      generate("a negative count", TEN_OF_TWENTY, -1, countRefused(20, 10)),
      generate("default and most equal: none named", FIVE_OF_FIVE, null, accepted(5)),
      generate("default and most equal: one more", FIVE_OF_FIVE, 6, countRefused(5, 5)),

      check("none left", EMPTY, "7KQ4M-XR2PZ", NO_CODES),
      check("none left comes before a malformed code", EMPTY, "nonsense", NO_CODES),
      check("an unused code", SET, "ABCDE-FGHJK", accepted(2)),
      check("the first unused code", SET, "7KQ4M-XR2PZ", accepted(0)),
      check("the last unused code", SET, "23456-78923", accepted(3)),
      check("lower case, spaces and dashes are read", SET, " abcde - fghjk ", accepted(2)),
      check("a used code", SET, USED, INVALID),
      check("an unknown code", SET, "ZZZZZ-ZZZZZ", INVALID),
      check("a look-alike (O for 0) is no code", SET, "7KQ4M-XR2PO", INVALID),
      check("nine symbols", SET, "ABCDE-FGHJ", INVALID),
      check("eleven symbols", SET, "ABCDE-FGHJKL", INVALID),
      check("none given", SET, null, INVALID),

      new Case("remove: none there", EMPTY, s -> RecoveryCodeSet.decideRemove(0),
        refused(GrpcCode.NOT_FOUND, "RECOVERY-none", "The user has no recovery codes")),
      new Case("remove: a set of one", SET, s -> RecoveryCodeSet.decideRemove(1), accepted()),
      new Case("remove: a set of ten", SET, s -> RecoveryCodeSet.decideRemove(10), accepted()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    c.then().assertMatches(c.when().apply(c.given()), c.name());
  }

  /** Every unused code is compared, also after a match (no early exit to time); a malformed input compares none. */
  @Test
  void everyUnusedCodeIsCompared() {
    List<String> compared = new ArrayList<>();
    BiPredicate<CodeHasher.Hashed, String> counting = (stored, code) -> {
      compared.add(new String(stored.hash(), StandardCharsets.US_ASCII));
      return SAME.test(stored, code);
    };
    assertEquals(0, SET.decideCheck("7KQ4M-XR2PZ", counting).orElseThrow());
    assertEquals(List.of("7KQ4MXR2PZ", "ABCDEFGHJK", "2345678923"), compared);
    compared.clear();
    SET.decideCheck("not a code", counting);
    assertEquals(List.of(), compared);
  }
}
