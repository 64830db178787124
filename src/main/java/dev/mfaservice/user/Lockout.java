package dev.mfaservice.user;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;

/**
 * Failed second-factor checks per user and factor type (SEC O7). A check reads the count so far, compares the code,
 * and writes only when something changed: a failure counts one more (reaching the org's maxOtpAttempts, 0 = off, then
 * an instance ceiling of 100 applies, locks the user until a manager unlocks it); a success after failures resets the
 * count; a success with none writes nothing. Exact under parallel guesses because the checks of one user and factor
 * run one after another: the user's row is locked by the statement that read the user, before the count is read
 * (at sign-in {@link UserRepository#findForCheck}; at enrolment that, as {@link UserAccess#enrolling} reads it).
 */
public final class Lockout {
  public static final String LOCKED_STATE = "USER_STATE_LOCKED";
  /** The event of a refused code, unless the factor names its own. */
  public static final String CHECK_FAILED = "user.human.mfa.check.failed";
  private static final int INSTANCE_CEILING = 100;
  private static final String SET_STATE = "update users set state = $2 where id = $1";

  private final Transactions transactions;
  private final FailedChecks failedChecks = new FailedChecks();
  private final UserAccess access;
  private final UserChanges changes;
  private final FactorNotices notices;

  public Lockout(Transactions transactions, UserAccess access, UserChanges changes, FactorNotices notices) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.notices = notices;
  }

  public static ApiError locked() {
    return ApiError.failedPrecondition("COMMAND-Locked", "User is locked");
  }

  public static boolean isLocked(ApiError error) {
    return "COMMAND-Locked".equals(error.id());
  }

  /**
   * One counted check of a factor, for a command that holds the lock of the user's row (enrolment,
   * {@link UserAccess#enrolling}): the count is read in a statement of its own, then as
   * {@link #check(SqlClient, Caller, UserForCheck, String, String, Supplier)}.
   */
  public <T> Future<Decision<T>> check(SqlClient tx, Caller caller, User user, String factorType,
                                       Supplier<Future<Decision<T>>> compare) {
    return failedChecks.read(tx, user.id(), factorType)
      .compose(count -> check(tx, caller, user, count, factorType, CHECK_FAILED, compare));
  }

  /**
   * One counted check of a factor, the user read with {@link UserRepository#findForCheck} in this transaction (its
   * row locked, its count and limit read with it). Over the limit already, the user is locked and {@code compare}
   * does not run. {@code compare} accepts a right code (a count is then reset; its accepted value is passed on) or
   * refuses a wrong one, which is counted; the failure that reaches the limit locks the user and is refused with
   * {@link #locked()} instead. A failed future from {@code compare} is passed on (it rolls the transaction back).
   * Every refused code is an event ({@code failedEvent} with the factor type: {@link #CHECK_FAILED} unless the factor
   * names its own), at enrolment as at sign-in.
   */
  public <T> Future<Decision<T>> check(SqlClient tx, Caller caller, UserForCheck target, String factorType,
                                       String failedEvent, Supplier<Future<Decision<T>>> compare) {
    return check(tx, caller, target.user(), target.failedChecks(), factorType, failedEvent, compare);
  }

  private <T> Future<Decision<T>> check(SqlClient tx, Caller caller, User user, FailedChecks.Count count,
                                        String factorType, String failedEvent, Supplier<Future<Decision<T>>> compare) {
    int max = count.maxOtpAttempts() > 0 ? count.maxOtpAttempts() : INSTANCE_CEILING;
    if (count.failed() >= max) {
      return lock(tx, caller, user).map(v -> Decision.refuse(locked()));
    }
    return compare.get().compose(decision -> {
      if (decision.accepted()) {
        return count.failed() == 0 ? Future.succeededFuture(decision)
          : failedChecks.reset(tx, user.id(), factorType).map(v -> decision);
      }
      return failedChecks.addOne(tx, user.id(), factorType).compose(failed -> failed >= max
        ? lock(tx, caller, user).map(v -> Decision.<T>refuse(locked()))
        : changes.append(tx, caller, user, failedEvent, new JsonObject().put("factor", factorType))
          .map(v -> decision));
    });
  }

  /** Locks the user (event user.locked, a notice to the user) unless it is locked already. */
  private Future<Void> lock(SqlClient tx, Caller caller, User user) {
    if (LOCKED_STATE.equals(user.state())) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(SET_STATE).execute(Tuple.of(user.id(), LOCKED_STATE))
      .compose(v -> changes.append(tx, caller, user, "user.locked", new JsonObject()))
      .compose(v -> notices.locked(tx, caller, user));
  }

  /** UnlockUser: a manager of the user's org lifts the lock and clears the counts. */
  public Future<Details> unlock(Caller caller, String userId) {
    return transactions.run(tx -> access.managed(tx, caller, userId).compose(user -> {
      if (!LOCKED_STATE.equals(user.state())) {
        return Future.failedFuture(ApiError.failedPrecondition("COMMAND-notLocked", "User is not locked"));
      }
      return tx.preparedQuery(SET_STATE).execute(Tuple.of(user.id(), "USER_STATE_ACTIVE"))
        .compose(v -> failedChecks.resetAll(tx, user.id()))
        .compose(v -> changes.append(tx, caller, user, "user.unlocked", new JsonObject()))
        .map(Event::changed);
    }));
  }
}
