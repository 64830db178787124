package dev.mfaservice.totp;

import static dev.mfaservice.support.Decided.accepted;
import static dev.mfaservice.support.Decided.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.errors.Decision;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.support.Decided;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.User;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of {@link TotpEnrolment}, one case a row (as ZITADEL's command tests): the factor and user read, the
 * request, the time, and what is decided. No server, no database.
 */
class TotpEnrolmentTest {
  static final String SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  static final Instant NOW = Instant.ofEpochSecond(1_700_000_010);
  static final long STEP = TotpCodes.step(NOW, 30);
  static final int PENDING_SECONDS = 300;
  static final TotpParameters SIX = new TotpParameters("SHA1", 6, 30);

  static final Decided ALREADY_SET_UP = refused(GrpcCode.ALREADY_EXISTS, "COMMAND-do9se",
    "Multifactor OTP (OneTimePassword) is already set up");
  static final Decided NOTHING_PENDING = refused(GrpcCode.NOT_FOUND, "COMMAND-3Mif9s",
    "No OTP registration is pending: register one first");
  static final Decided ALREADY_VERIFIED = refused(GrpcCode.FAILED_PRECONDITION, "COMMAND-qx4ls", "OTP is already verified");
  static final Decided LOCKED = refused(Lockout.locked());
  static final Decided INVALID_CODE = refused(GrpcCode.INVALID_ARGUMENT, "EVENT-8isk2", "Invalid code");
  static final Decided NO_TOTP = refused(GrpcCode.FAILED_PRECONDITION, "SESSION-noTotp", "The user has no verified TOTP");
  static final Decided NOT_SET_UP = refused(GrpcCode.NOT_FOUND, "COMMAND-Hd9sd", "OTP is not set up for this user");

  /** name, given (what load read), when (the decision asked, with its input and time), then (what it decides). */
  record Case(String name, TotpEnrolment given, Function<TotpEnrolment, Decision<?>> when, Decided then) {
    @Override
    public String toString() {
      return name;
    }
  }

  static User user(String state) {
    Instant t = Instant.EPOCH;
    return new User("u1", "o1", "alice", "Alice", "Liddell", "Alice Liddell", "en", User.Contact.NONE,
      User.Contact.NONE, state, 1, t, t);
  }

  static final User ACTIVE = user("USER_STATE_ACTIVE");
  static final User LOCKED_USER = user(Lockout.LOCKED_STATE);

  static TotpFactor pending(Instant createdAt) {
    return new TotpFactor("u1", new byte[0], SIX, false, 0, createdAt);
  }

  static TotpFactor verified(long lastUsedStep) {
    return new TotpFactor("u1", new byte[0], SIX, true, lastUsedStep, NOW.minusSeconds(86_400));
  }

  static TotpEnrolment given(User user, TotpFactor factor) {
    return new TotpEnrolment(user, Optional.ofNullable(factor));
  }

  static String codeAt(long step) {
    return Rfc6238.hotp(Rfc6238.base32Decode(SECRET), step, 6, "HmacSHA1");
  }

  static Function<TotpEnrolment, Decision<?>> code(TotpFactor factor, String code) {
    return e -> TotpEnrolment.decideCode(factor, () -> SECRET, code, NOW);
  }

  static Stream<Case> cases() {
    TotpFactor fresh = pending(NOW);
    return Stream.of(
      new Case("register: none yet", given(ACTIVE, null), TotpEnrolment::decideRegister, accepted()),
      new Case("register: a pending one is replaced", given(ACTIVE, fresh), TotpEnrolment::decideRegister, accepted()),
      new Case("register: an expired pending one is replaced", given(ACTIVE, pending(NOW.minusSeconds(10_000))),
        TotpEnrolment::decideRegister, accepted()),
      new Case("register: a verified one stays", given(ACTIVE, verified(0)), TotpEnrolment::decideRegister, ALREADY_SET_UP),

      new Case("verify: none registered", given(ACTIVE, null), e -> e.decideVerify(PENDING_SECONDS, NOW), NOTHING_PENDING),
      new Case("verify: registered just now", given(ACTIVE, fresh), e -> e.decideVerify(PENDING_SECONDS, NOW),
        accepted(fresh)),
      expiring("verify: expiring exactly now is still pending", PENDING_SECONDS, true),
      expiring("verify: a second past its time has expired", PENDING_SECONDS + 1, false),
      new Case("verify: already verified", given(ACTIVE, verified(0)), e -> e.decideVerify(PENDING_SECONDS, NOW),
        ALREADY_VERIFIED),
      new Case("verify: a verified one never expires", given(ACTIVE, new TotpFactor("u1", new byte[0], SIX, true, 0,
        NOW.minusSeconds(10 * PENDING_SECONDS))), e -> e.decideVerify(PENDING_SECONDS, NOW), ALREADY_VERIFIED),
      new Case("verify: a locked user", given(LOCKED_USER, fresh), e -> e.decideVerify(PENDING_SECONDS, NOW), LOCKED),
      new Case("verify: nothing pending comes before the lock", given(LOCKED_USER, null),
        e -> e.decideVerify(PENDING_SECONDS, NOW), NOTHING_PENDING),
      new Case("verify: verified already comes before the lock", given(LOCKED_USER, verified(0)),
        e -> e.decideVerify(PENDING_SECONDS, NOW), ALREADY_VERIFIED),

      new Case("code: the current step's", given(ACTIVE, fresh), code(fresh, codeAt(STEP)), accepted(STEP)),
      new Case("code: the step before (window)", given(ACTIVE, fresh), code(fresh, codeAt(STEP - 1)), accepted(STEP - 1)),
      new Case("code: the step after (window)", given(ACTIVE, fresh), code(fresh, codeAt(STEP + 1)), accepted(STEP + 1)),
      new Case("code: two steps back is outside the window", given(ACTIVE, fresh), code(fresh, codeAt(STEP - 2)),
        INVALID_CODE),
      new Case("code: two steps ahead is outside the window", given(ACTIVE, fresh), code(fresh, codeAt(STEP + 2)),
        INVALID_CODE),
      new Case("code: a step equal to the last accepted one is a replay", given(ACTIVE, verified(STEP)),
        code(verified(STEP), codeAt(STEP)), INVALID_CODE),
      new Case("code: a step just newer than the last accepted one", given(ACTIVE, verified(STEP - 1)),
        code(verified(STEP - 1), codeAt(STEP)), accepted(STEP)),
      new Case("code: an older step than the last accepted one", given(ACTIVE, verified(STEP)),
        code(verified(STEP), codeAt(STEP - 1)), INVALID_CODE),
      new Case("code: trimmed", given(ACTIVE, fresh), code(fresh, "  " + codeAt(STEP) + " "), accepted(STEP)),
      new Case("code: a wrong one", given(ACTIVE, fresh), code(fresh, wrong(codeAt(STEP))), INVALID_CODE),
      new Case("code: five digits", given(ACTIVE, fresh), code(fresh, codeAt(STEP).substring(1)), INVALID_CODE),
      new Case("code: seven digits", given(ACTIVE, fresh), code(fresh, codeAt(STEP) + "0"), INVALID_CODE),
      new Case("code: Unicode digits", given(ACTIVE, fresh), code(fresh, arabicIndic(codeAt(STEP))), INVALID_CODE),
      new Case("code: none", given(ACTIVE, fresh), code(fresh, null), INVALID_CODE),

      new Case("sign-in: no TOTP", given(ACTIVE, null), e -> e.decideCheck(codeAt(STEP), f -> SECRET, NOW), NO_TOTP),
      new Case("sign-in: only a pending one", given(ACTIVE, fresh), e -> e.decideCheck(codeAt(STEP), f -> SECRET, NOW),
        NO_TOTP),
      new Case("sign-in: the right code", given(ACTIVE, verified(STEP - 5)),
        e -> e.decideCheck(codeAt(STEP), f -> SECRET, NOW), accepted(STEP)),
      new Case("sign-in: a replayed code", given(ACTIVE, verified(STEP)),
        e -> e.decideCheck(codeAt(STEP), f -> SECRET, NOW), INVALID_CODE),
      new Case("sign-in: a wrong code", given(ACTIVE, verified(0)),
        e -> e.decideCheck(wrong(codeAt(STEP)), f -> SECRET, NOW), INVALID_CODE),

      new Case("remove: none there", given(ACTIVE, null), e -> TotpEnrolment.decideRemove(Optional.empty()), NOT_SET_UP),
      new Case("remove: a pending one, nobody told", given(ACTIVE, fresh),
        e -> TotpEnrolment.decideRemove(Optional.of(false)), accepted(false)),
      new Case("remove: a verified one, the user told", given(ACTIVE, verified(0)),
        e -> TotpEnrolment.decideRemove(Optional.of(true)), accepted(true)));
  }

  /** A pending registration made {@code age} seconds before now. */
  static Case expiring(String name, int age, boolean stillPending) {
    TotpFactor factor = pending(NOW.minusSeconds(age));
    return new Case(name, given(ACTIVE, factor), e -> e.decideVerify(PENDING_SECONDS, NOW),
      stillPending ? accepted(factor) : NOTHING_PENDING);
  }

  static String wrong(String code) {
    return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
  }

  static String arabicIndic(String code) {
    StringBuilder out = new StringBuilder();
    code.chars().forEach(c -> out.append((char) ('\u0660' + (c - '0'))));
    return out.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    c.then().assertMatches(c.when().apply(c.given()), c.name());
  }

  /** The codes of the window's steps differ (else the window cases above would prove nothing). */
  @Test
  void theWindowCasesUseDistinctCodes() {
    assertEquals(5, Stream.of(-2L, -1L, 0L, 1L, 2L).map(d -> codeAt(STEP + d)).distinct().count());
  }

  /** A malformed code is refused before the secret is opened; a well-formed one opens it once. */
  @Test
  void theSecretIsOpenedOnlyForAWellFormedCode() {
    AtomicInteger opened = new AtomicInteger();
    Supplier<String> secret = () -> {
      opened.incrementAndGet();
      return SECRET;
    };
    TotpEnrolment.decideCode(pending(NOW), secret, "12345", NOW);
    TotpEnrolment.decideCode(pending(NOW), secret, "abcdef", NOW);
    assertEquals(0, opened.get());
    TotpEnrolment.decideCode(pending(NOW), secret, codeAt(STEP), NOW);
    assertEquals(1, opened.get());
  }
}
