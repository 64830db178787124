package dev.mfaservice.totp;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeCheck;
import dev.mfaservice.codes.Checked;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.org.SecondFactorPolicy;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Tail;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.UserChanges;
import dev.mfaservice.user.UserForCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Registering, verifying and removing a user's TOTP authenticator: one per user, pending until
 * a code proves it. Both API families (auth v1 "my" calls and user v2) come here.
 */
public final class TotpCommands {
  private static final SecondFactorType TOTP = SecondFactorType.SECOND_FACTOR_TYPE_OTP;
  private final Transactions transactions;
  private final UserAccess access;
  private final UserChanges changes;
  private final TotpRepository factors;
  private final TotpCodes codes;
  private final Keyring keyring;
  private final Lockout lockout;
  private final FactorNotices notices;
  private final TotpSettings config;
  private final Clock clock;

  public TotpCommands(Transactions transactions, UserAccess access, UserChanges changes, TotpRepository factors,
                      TotpCodes codes, Keyring keyring, Lockout lockout, FactorNotices notices,
                      TotpSettings config, Clock clock) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.factors = factors;
    this.codes = codes;
    this.keyring = keyring;
    this.lockout = lockout;
    this.notices = notices;
    this.config = config;
    this.clock = clock;
  }

  /** The secret, shown once: in this answer and nowhere else (SEC T9). */
  public record Registration(String uri, String secret, Details details) {
  }

  public Future<Registration> register(Caller caller, String userId) {
    return transactions.runWithTail(tx -> load(tx, caller, userId).compose(loaded -> {
      if (loaded.factor().isPresent() && loaded.factor().get().verified()) {
        return Future.failedFuture(ApiError.alreadyExists("COMMAND-do9se", "Multifactor OTP (OneTimePassword) is already set up"));
      }
      return Future.succeededFuture(startRegistration(tx, caller, loaded.target().user()));
    }));
  }

  /**
   * Finishing the registration is part of enrolling: the policy must still allow TOTP. Wrong codes
   * count towards the user's lockout like failed sign-in checks (SEC O7); the count is committed
   * even though the call fails.
   */
  public Future<Details> verify(Caller caller, String userId, String code) {
    return transactions.runWithTail(tx -> load(tx, caller, userId).compose(loaded -> {
      TotpFactor factor = loaded.factor().filter(f -> f.verified() || !expired(f)).orElseThrow(TotpCommands::nothingPending);
      if (factor.verified()) {
        return Future.failedFuture(ApiError.failedPrecondition("COMMAND-qx4ls", "OTP is already verified"));
      }
      User user = loaded.target().user();
      if (Lockout.LOCKED_STATE.equals(user.state())) {
        return Future.succeededFuture(Tail.done(new Checked(CodeCheck.WRONG, null, Lockout.locked())));
      }
      Event verified = changes.stamp(caller, user, "user.human.otp.verified", new JsonObject());
      List<Future<?>> sent = new ArrayList<>();
      return lockout.check(tx, caller, loaded.target(), TOTP.name(), Lockout.CHECK_FAILED, () -> {
        OptionalLong step = matchingStep(factor, code);
        if (step.isEmpty()) {
          return Future.succeededFuture(invalidCode());
        }
        // The factor's row was read under this transaction's lock and the step is newer than its last one: the replay
        // guard's update cannot miss. It and the event go out with the notice and the COMMIT, not waited for here.
        sent.add(factors.acceptStep(tx, userId, step.getAsLong(), clock.instant())
          .compose(moved -> moved ? Future.succeededFuture() : Future.failedFuture(invalidCode())));
        sent.add(changes.write(tx, verified));
        return Future.succeededFuture((ApiError) null);
      }).map(refusal -> {
        if (refusal != null) {
          return Tail.done(new Checked(CodeCheck.WRONG, verified.changed(), refusal));
        }
        sent.add(notices.added(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_OTP));
        return Tail.of(Future.all(sent).map(v -> new Checked(CodeCheck.ACCEPTED, verified.changed(), null)));
      });
    })).compose(Checked::result);
  }

  public Future<Details> remove(Caller caller, String userId) {
    return transactions.run(tx -> access.visibleLocked(tx, caller, userId)
      .compose(user -> factors.delete(tx, userId).compose(deleted -> deleted.isPresent()
        ? changes.append(tx, caller, user, "user.human.otp.removed", new JsonObject())
          .compose(event -> removedNotice(tx, caller, user, deleted.get(), event))
        : Future.failedFuture(ApiError.notFound("COMMAND-Hd9sd", "OTP is not set up for this user")))));
  }

  /** Only a verified TOTP was a factor the user could sign in with; dropping a pending one is no news. */
  private Future<Details> removedNotice(SqlConnection tx, Caller caller, User user, boolean verified, Event event) {
    return (verified ? notices.removed(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_OTP) : Future.<Void>succeededFuture())
      .map(v -> event.changed());
  }

  /**
   * What enrolment needs, read in one round trip: the user (locked, or 404) with its failed TOTP checks, the lockout
   * limit and whether the org's policy allows TOTP, then the factor (locked).
   */
  private record Loaded(UserForCheck target, Optional<TotpFactor> factor) {
  }

  private Future<Loaded> load(SqlConnection tx, Caller caller, String userId) {
    // The user's row is locked first, then the factor's, as a sign-in locks them (UserAccess's lock order; the other
    // way round the two deadlock). Both go out at once; the factor is read once the user's lock is held, and a command
    // that waited for it reads the user as the one before it left it (its event's sequence is the next one).
    Future<UserForCheck> user = access.visibleForCheck(tx, caller, userId, TOTP.name());
    Future<Optional<TotpFactor>> factor = factors.findForUpdate(tx, userId);
    return Future.all(user, factor).compose(v -> user.result().factorAllowed()
      ? Future.succeededFuture(new Loaded(user.result(), factor.result()))
      : Future.failedFuture(SecondFactorPolicy.refusal(TOTP)));
  }

  /** The event and the pending factor, sent; the COMMIT goes out right behind them. */
  private Tail<Registration> startRegistration(SqlConnection tx, Caller caller, User user) {
    TotpParameters settings = config.parameters();
    String secret = codes.newSecret(settings);
    byte[] sealed = keyring.seal(secret.getBytes(StandardCharsets.US_ASCII), TotpFactor.sealingContext(user.id()));
    JsonObject payload = new JsonObject().put("algorithm", settings.algorithm()).put("digits", settings.digits())
      .put("period", settings.periodSeconds());
    Event added = changes.stamp(caller, user, "user.human.otp.added", payload);
    Registration registration = new Registration(OtpAuthUri.of(config.issuer(), user.loginName(), secret, settings),
      secret, added.createdAndChanged());
    return Tail.of(Future.all(changes.write(tx, added),
      factors.savePending(tx, user.id(), sealed, settings, added.createdAt())).map(v -> registration));
  }

  /**
   * The step whose code matches, if it is newer than the last accepted one. A wrong code, a
   * malformed one and a replay (a step not newer than the last accepted) all look the same.
   */
  public OptionalLong matchingStep(TotpFactor factor, String code) {
    String normalized = TotpCodes.normalize(code, factor.settings().digits());
    OptionalLong step = normalized == null ? OptionalLong.empty()
      : TotpCodes.matchingStep(openSecret(factor), factor.settings(), normalized, clock.instant());
    return step.isPresent() && step.getAsLong() > factor.lastUsedStep() ? step : OptionalLong.empty();
  }

  private String openSecret(TotpFactor factor) {
    return new String(keyring.open(factor.sealedSecret(), TotpFactor.sealingContext(factor.userId())),
      StandardCharsets.US_ASCII);
  }

  private boolean expired(TotpFactor pending) {
    return pending.createdAt().plus(Duration.ofSeconds(config.pendingSeconds())).isBefore(clock.instant());
  }

  private static ApiError nothingPending() {
    return ApiError.notFound("COMMAND-3Mif9s", "No OTP registration is pending: register one first");
  }

  private static ApiError invalidCode() {
    return ApiError.invalidArgument("EVENT-8isk2", "Invalid code");
  }
}
