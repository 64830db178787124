package dev.mfaservice.user;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.org.PolicyRepository;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;

/**
 * Failed second-factor checks per user and factor type (SEC O7): each attempt is counted before
 * the code is compared, with one conditional UPSERT, so N parallel wrong codes count at most the
 * limit; reaching the org's maxOtpAttempts (0 = off, then an instance ceiling of 100 applies)
 * locks the user until a manager unlocks it. A successful check resets its count.
 */
public final class Lockout {
  public static final String LOCKED_STATE = "USER_STATE_LOCKED";
  /** The event of a refused code, unless the factor names its own. */
  public static final String CHECK_FAILED = "user.human.mfa.check.failed";
  private static final int INSTANCE_CEILING = 100;
  private static final String COUNT = """
    insert into failed_checks (user_id, factor_type, failed) values ($1, $2, 1)
    on conflict (user_id, factor_type) do update set failed = failed_checks.failed + 1 where failed_checks.failed < $3
    returning failed
    """;
  private static final String RESET = "delete from failed_checks where user_id = $1 and factor_type = $2";
  private static final String RESET_ALL = "delete from failed_checks where user_id = $1";
  private static final String SET_STATE = "update users set state = $2 where id = $1";

  private final Transactions transactions;
  private final PolicyRepository policies;
  private final UserAccess access;
  private final UserChanges changes;
  private final FactorNotices notices;

  public Lockout(Transactions transactions, PolicyRepository policies, UserAccess access, UserChanges changes,
                 FactorNotices notices) {
    this.transactions = transactions;
    this.policies = policies;
    this.access = access;
    this.changes = changes;
    this.notices = notices;
  }

  /** The outcome of counting one attempt: whether it may be compared, and whether it is the last one allowed. */
  private record Attempt(boolean allowed, boolean last) {
  }

  public static ApiError locked() {
    return ApiError.failedPrecondition("COMMAND-Locked", "User is locked");
  }

  public static boolean isLocked(ApiError error) {
    return "COMMAND-Locked".equals(error.id());
  }

  /**
   * One counted check of a factor: the attempt is counted first; if it is over the limit the user
   * is locked and {@code compare} does not run. {@code compare} answers null for a right code
   * (the count is then reset) or the refusal for a wrong one; the attempt that reaches the limit
   * locks the user and answers {@link #locked()} instead. A failed future from {@code compare}
   * is passed on (it rolls the transaction back, count included). Every refused code is an event
   * ({@code user.human.mfa.check.failed} with the factor type), at enrolment as at sign-in.
   */
  public Future<ApiError> check(SqlClient tx, Caller caller, User user, String factorType,
                                Supplier<Future<ApiError>> compare) {
    return check(tx, caller, user, factorType, CHECK_FAILED, compare);
  }

  /** As above, the refusal recorded as {@code failedEvent}. */
  public Future<ApiError> check(SqlClient tx, Caller caller, User user, String factorType, String failedEvent,
                                Supplier<Future<ApiError>> compare) {
    return count(tx, user, factorType).compose(attempt -> {
      if (!attempt.allowed()) {
        return lock(tx, caller, user).map(v -> locked());
      }
      return compare.get().compose(error -> {
        if (error == null) {
          return reset(tx, user.id(), factorType).map(v -> (ApiError) null);
        }
        return attempt.last() ? lock(tx, caller, user).map(v -> locked())
          : changes.append(tx, caller, user, failedEvent, new JsonObject().put("factor", factorType))
            .map(v -> error);
      });
    });
  }

  private Future<Attempt> count(SqlClient tx, User user, String factorType) {
    return policies.lockout(tx, user.orgId()).compose(policy -> {
      int max = policy.value().maxOtpAttempts() > 0 ? policy.value().maxOtpAttempts() : INSTANCE_CEILING;
      return tx.preparedQuery(COUNT).execute(Tuple.of(user.id(), factorType, max)).map(rows -> rows.size() == 0
        ? new Attempt(false, true)
        : new Attempt(true, rows.iterator().next().getInteger("failed") >= max));
    });
  }

  private Future<Void> reset(SqlClient tx, String userId, String factorType) {
    return tx.preparedQuery(RESET).execute(Tuple.of(userId, factorType)).mapEmpty();
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
        .compose(v -> tx.preparedQuery(RESET_ALL).execute(Tuple.of(user.id())))
        .compose(v -> changes.append(tx, caller, user, "user.unlocked", new JsonObject()))
        .map(Event::changed);
    }));
  }
}
