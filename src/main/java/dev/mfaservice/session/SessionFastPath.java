package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserForCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The optimistic way of a sign-in whose one step after the user is a check of an {@link OptimisticCheck}: the user
 * (with its failed checks and the org's policy) and the factor read without locks and without a transaction, the code
 * compared, then one statement that stores the session's event and row only if nothing moved meanwhile — the user's
 * row still at the sequence read, and the factor's own guard (TOTP: the step newer than the last) holding. Two
 * statements in two round trips, no BEGIN or COMMIT, against the locked way's six.
 *
 * <p>It only ever accepts, and only when the locked way would accept too: the user not locked, the factor allowed, no
 * failed check counted. Every failed check appends a user event (the failure or the lock) in the transaction that
 * counts it, holding the user's row: so an unchanged sequence at the write means no failure was counted since the
 * read, and the count is still 0 when the session is stored (the locked way's order: this check came before those
 * failures). Anything else — a wrong code, failures to reset, a locked user, a refusal, a guard that no longer held, a
 * lost race — goes the locked way, which decides (and counts) as always; nothing was written here then.
 */
final class SessionFastPath {
  /** The first parameter of the check's own write: after the event's 8, the session's 14 and the guard's 2. */
  private static final int CHECK_PARAMS = 25;
  private final Transactions transactions;
  private final UserAccess users;
  private final SessionUserStep userStep;
  private final SessionFactors factors;
  private final EventStore events;
  private final SessionAccess access;
  private final Clock clock;
  private final Map<String, String> statements = new ConcurrentHashMap<>();

  SessionFastPath(Transactions transactions, UserAccess users, SessionUserStep userStep, SessionFactors factors,
                  EventStore events, SessionAccess access, Clock clock) {
    this.transactions = transactions;
    this.users = users;
    this.userStep = userStep;
    this.factors = factors;
    this.events = events;
    this.access = access;
    this.clock = clock;
  }

  /** The request's one check, if it may go this way: no challenge, no other check, the user known by id. */
  SessionCheck eligible(Session start, SessionRequest r) {
    if (!r.challenges().isEmpty() || r.checks().size() != 1 || r.loginName() != null
      || (r.userId() == null && start.userId() == null)) {
      return null;
    }
    for (SessionCheck check : factors.checks()) {
      if (check.optimistic() != null && r.checks().getValue(check.name()) instanceof JsonObject) {
        return check;
      }
    }
    return null;
  }

  /** The sign-in stored, or empty: nothing was written, and the request goes the locked way. */
  Future<Optional<SessionCommands.Changed>> run(Caller caller, Session start, SessionRequest r, SessionCheck check,
                                                boolean creating) {
    String userId = r.userId() != null ? r.userId() : start.userId();
    JsonObject asked = r.checks().getJsonObject(check.name());
    return transactions.withConnection(conn -> {
      Future<UserForCheck> user = users.visibleForCheck(conn, caller, userId, check.type().name(), false);
      Future<?> factor = check.optimistic().read(conn, userId, asked);
      return Future.join(user, factor)
        .compose(v -> write(conn, caller, start, r, check, asked, user.result(), factor, creating));
    }).recover(e -> e instanceof ApiError || Transactions.retryable(e) ? Future.succeededFuture(Optional.empty())
      : Future.failedFuture(e));
  }

  private Future<Optional<SessionCommands.Changed>> write(SqlConnection conn, Caller caller, Session start,
                                                          SessionRequest r, SessionCheck check, JsonObject asked,
                                                          UserForCheck read, Future<?> factor, boolean creating) {
    if (Lockout.LOCKED_STATE.equals(read.user().state()) || !read.factorAllowed() || read.failedChecks().failed() > 0) {
      return Future.succeededFuture(Optional.empty());
    }
    Progress p = Progress.start(start);
    p = r.userId() != null ? p.with(userStep.proveUser(p, read.user()), read.user()).withDone("user")
      : p.with(start, read.user());
    Optional<OptimisticCheck.GuardedWrite> accepted = check.optimistic()
      .accept(SessionFactorSteps.context(caller, p, read.user(), factor), asked);
    if (accepted.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    Progress proved = p.withDone(check.name())
      .with(p.session().withFactor(check.name(), clock.instant(), accepted.get().proof()), read.user());
    SessionWrite w = SessionWrite.of(access, events, caller, proved, creating);
    Tuple params = SessionRepository.row(w.saved()).addString(read.user().id()).addLong(read.user().sequence());
    Tuple own = accepted.get().params();
    for (int i = 0; i < own.size(); i++) {
      params.addValue(own.getValue(i));
    }
    String statement = statements.computeIfAbsent(check.name(),
      name -> SessionRepository.guardedAppendAndSave(accepted.get().sql().apply(CHECK_PARAMS)));
    return events.insertIf(conn, w.event(), statement, params)
      .map(stored -> stored.map(event -> new SessionCommands.Changed(w.saved(), w.token(), new JsonObject(), event)));
  }
}
