package dev.mfaservice.totp;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.notify.FactorNotices;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  /**
   * Optimistic first: the user and the factor read without locks or a transaction, then one statement that writes only
   * if the user is still at the sequence read (every change of the factor appends a user event). When it was not,
   * or the statement was chosen to break a deadlock, the registration runs again the locked way.
   */
  public Future<Registration> register(Caller caller, String userId) {
    return transactions.withConnection(conn -> load(conn, caller, userId, false).compose(loaded -> {
      Pending pending = pending(caller, loaded);
      return factors.addPendingIfUnchanged(conn, changes, pending.added(), pending.sealed(), pending.settings())
        .map(written -> written ? Optional.of(pending.registration()) : Optional.<Registration>empty());
    })).recover(e -> Transactions.retryable(e) ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e))
      .compose(done -> done.isPresent() ? Future.succeededFuture(done.get()) : registerLocked(caller, userId));
  }

  private Future<Registration> registerLocked(Caller caller, String userId) {
    return transactions.runWithTail(tx -> load(tx, caller, userId, true).map(loaded -> {
      Pending pending = pending(caller, loaded);
      return Tail.of(factors.addPending(tx, changes, pending.added(), pending.sealed(), pending.settings())
        .map(v -> pending.registration()));
    }));
  }

  /**
   * Finishing the registration is part of enrolling: the policy must still allow TOTP. Wrong codes
   * count towards the user's lockout like failed sign-in checks (SEC O7); the count is committed
   * even though the call fails.
   */
  public Future<Details> verify(Caller caller, String userId, String code) {
    return transactions.runWithTail(tx -> load(tx, caller, userId, true).compose(loaded -> {
      TotpFactor pending = loaded.enrolment().decideVerify(config.pendingSeconds(), clock.instant()).orElseThrow();
      return counted(tx, caller, loaded.target(), pending, code);
    })).map(Decision::orElseThrow);
  }

  /** The code of a pending registration, counted: accepted, the factor is verified and the user told (SEC O7). */
  private Future<Tail<Decision<Details>>> counted(SqlConnection tx, Caller caller, UserForCheck target,
                                                  TotpFactor pending, String code) {
    User user = target.user();
    Event verified = changes.stamp(caller, user, "user.human.otp.verified", new JsonObject());
    List<Future<?>> sent = new ArrayList<>();
    return lockout.check(tx, caller, target, TOTP.name(), Lockout.CHECK_FAILED,
        () -> Future.succeededFuture(proved(tx, pending, code, verified, sent)))
      .map(decision -> {
        if (!decision.accepted()) {
          return Tail.done(Decision.<Details>refuse(decision.reason()));
        }
        sent.add(notices.added(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_OTP));
        return Tail.of(Future.all(sent).map(v -> Decision.accept(verified.changed())));
      });
  }

  /** The code's step, if it proves the pending factor; its writes then {@code sent}, not waited for. */
  private Decision<Long> proved(SqlConnection tx, TotpFactor pending, String code, Event verified,
                                List<Future<?>> sent) {
    Decision<Long> step = TotpEnrolment.decideCode(pending, () -> openSecret(pending), code, clock.instant());
    if (step instanceof Decision.Accepted<Long> accepted) {
      // The factor's row was read under this transaction's lock and the step is newer than its last one: the replay
      // guard's update cannot miss. It and the event go out with the notice and the COMMIT, not waited for here.
      sent.add(factors.acceptStep(tx, pending.userId(), accepted.value(), clock.instant())
        .compose(moved -> moved ? Future.succeededFuture() : Future.failedFuture(TotpEnrolment.invalidCode())));
      sent.add(changes.write(tx, verified));
    }
    return step;
  }

  /** Removing needs no policy; the delete is the read (a refusal rolls back a delete that found nothing). */
  public Future<Details> remove(Caller caller, String userId) {
    return transactions.run(tx -> access.visibleLocked(tx, caller, userId)
      .compose(user -> factors.delete(tx, userId).map(TotpEnrolment::decideRemove).compose(decided -> {
        boolean tell = decided.orElseThrow();
        return changes.append(tx, caller, user, "user.human.otp.removed", new JsonObject())
          .compose(event -> removedNotice(tx, caller, user, tell, event));
      })));
  }

  private Future<Details> removedNotice(SqlConnection tx, Caller caller, User user, boolean tell, Event event) {
    return (tell ? notices.removed(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_OTP) : Future.<Void>succeededFuture())
      .map(v -> event.changed());
  }

  /**
   * What enrolment needs, read in one round trip: the user (locked, or 404; the org's policy allowing TOTP, else 9)
   * with its failed TOTP checks and the lockout limit, then the factor (locked).
   */
  private record Loaded(UserForCheck target, TotpEnrolment enrolment) {
  }

  private Future<Loaded> load(SqlConnection conn, Caller caller, String userId, boolean lock) {
    // Locked: the user's row first, then the factor's, as a sign-in locks them (UserAccess's lock order; the other
    // way round the two deadlock). Both go out at once; the factor is read once the user's lock is held, and a command
    // that waited for it reads the user as the one before it left it (its event's sequence is the next one).
    Future<UserForCheck> user = access.enrolling(conn, caller, userId, TOTP, lock);
    Future<Optional<TotpFactor>> factor = factors.find(conn, userId, lock);
    return Future.join(user, factor)
      .map(v -> new Loaded(user.result(), new TotpEnrolment(user.result().user(), factor.result())));
  }

  /** A registration's new secret (sealed), its event and the answer, before anything is written. */
  private record Pending(Registration registration, Event added, byte[] sealed, TotpParameters settings) {
  }

  /** RegisterTOTP decided on what was read (a verified authenticator refuses it), and its registration made. */
  private Pending pending(Caller caller, Loaded loaded) {
    loaded.enrolment().decideRegister().orElseThrow();
    User user = loaded.target().user();
    TotpParameters settings = config.parameters();
    String secret = codes.newSecret(settings);
    byte[] sealed = keyring.seal(secret.getBytes(StandardCharsets.US_ASCII), TotpFactor.sealingContext(user.id()));
    JsonObject payload = new JsonObject().put("algorithm", settings.algorithm()).put("digits", settings.digits())
      .put("period", settings.periodSeconds());
    Event added = changes.stamp(caller, user, "user.human.otp.added", payload);
    return new Pending(new Registration(OtpAuthUri.of(config.issuer(), user.loginName(), secret, settings), secret,
      added.createdAndChanged()), added, sealed, settings);
  }

  /** The factor's secret, opened (for {@link TotpEnrolment#decideCode}). */
  String openSecret(TotpFactor factor) {
    return new String(keyring.open(factor.sealedSecret(), TotpFactor.sealingContext(factor.userId())),
      StandardCharsets.US_ASCII);
  }
}
