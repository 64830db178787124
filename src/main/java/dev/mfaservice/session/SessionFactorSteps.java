package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.org.SecondFactorPolicy;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserForCheck;
import dev.mfaservice.user.UserRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Optional;

/**
 * A session request's steps for one factor, in its transaction: a {@link SessionCheck} (the user's row locked, a
 * locked user refused, the org policy asked, the attempt counted, the factor's verify) or a {@link SessionChallenge}
 * (the policy, then the factor's issue). Nothing here is factor-specific.
 */
final class SessionFactorSteps {
  private final UserRepository users;
  private final Lockout lockout;
  private final SecondFactorPolicy policy;
  private final Clock clock;

  SessionFactorSteps(UserRepository users, Lockout lockout, SecondFactorPolicy policy, Clock clock) {
    this.users = users;
    this.lockout = lockout;
    this.policy = policy;
    this.clock = clock;
  }

  /** One factor's check: the user's row locked, the user not locked, the policy allowing it, the attempt counted. */
  Future<Progress> check(SqlConnection tx, Caller caller, Progress p, SessionCheck factor, JsonObject check) {
    if (p.refusal() != null) {
      return Future.succeededFuture(p);
    }
    if (p.user() == null) {
      return Future.failedFuture(ApiError.failedPrecondition("SESSION-noUser", "Check the user before a second factor"));
    }
    // Checks of one user run one after another (the user row is locked): counts and events stay exact. The same
    // statement reads the user's failed checks of this type, the lockout limit and the login policy.
    SecondFactorType type = factor.type();
    Future<Optional<UserForCheck>> read = p.readFor(type) != null ? Future.succeededFuture(Optional.of(p.readFor(type)))
      : users.findForCheck(tx, p.user().id(), type.name());
    return read.compose(found -> {
      UserForCheck target = found.orElseThrow(UserAccess::userNotFound);
      User user = target.user();
      if (Lockout.LOCKED_STATE.equals(user.state())) {
        return Future.succeededFuture(p.refused(Lockout.locked()));
      }
      if (!target.factorAllowed()) {
        return Future.failedFuture(SecondFactorPolicy.refusal(type));
      }
      FactorContext ctx = context(caller, p, user, factor.name());
      return lockout.check(tx, caller, target, type.name(), factor.failedEvent(), () -> factor.verify(tx, ctx, check))
        .map(decision -> checked(p.sending(ctx.inFlight()), user, factor, decision));
    });
  }

  /** After a check: its factor recorded in the session (with what it proved), or the request refused. */
  private Progress checked(Progress p, User user, SessionCheck factor, Decision<JsonObject> decision) {
    if (decision instanceof Decision.Accepted<JsonObject> proved) {
      return p.withDone(factor.name())
        .with(p.session().withFactor(factor.name(), clock.instant(), proved.value()), user);
    }
    return p.with(p.session(), user).refused(decision.reason());
  }

  /** What a check or challenge works with; {@code ahead} its key among the read-aheads. Its writes: a list of its own. */
  private static FactorContext context(Caller caller, Progress p, User user, String ahead) {
    return context(caller, p, user, p.ahead().get(ahead));
  }

  /** As above, with what was read for the check ({@link SessionFastPath}: read without a lock). */
  static FactorContext context(Caller caller, Progress p, User user, Future<?> read) {
    return new FactorContext(caller, sender(caller, p), user, p.session(), read, new ArrayList<>());
  }

  /**
   * The caller as the send limits count it: with the end user's IP the session was created with (userAgent.ip) when
   * the caller manages the user (a login app; anyone else could use a victim's address up), else as the request came.
   */
  private static Caller sender(Caller caller, Progress p) {
    return vouched(caller, p) ? caller.withEndUserIp(p.session().userAgentIp()) : caller;
  }

  static boolean vouched(Caller caller, Progress p) {
    return p.session().userAgentIp() != null && p.user() != null && caller.mayManageUsersOf(p.user().orgId());
  }

  Future<Progress> challenge(SqlConnection tx, Caller caller, Progress p, SessionChallenge challenge,
                                     JsonObject asked) {
    if (p.refusal() != null) {
      return Future.succeededFuture(p);
    }
    if (p.user() == null) {
      return Future.failedFuture(ApiError.failedPrecondition("SESSION-noUser", "Check the user before a challenge"));
    }
    FactorContext ctx = context(caller, p, p.user(), Progress.challengeKey(challenge.name()));
    SecondFactorType type = challenge.type();
    UserForCheck read = p.readFor(type);
    Future<Void> allowed = read != null
      ? (read.factorAllowed() ? Future.succeededFuture() : Future.failedFuture(SecondFactorPolicy.refusal(type)))
      : policy.require(tx, p.user().orgId(), type);
    return allowed
      .compose(v -> challenge.issue(tx, ctx, asked))
      .map(issued -> p.sending(ctx.inFlight()).issued(challenge.name(), issued).with(p.session(), p.user()));
  }
}
