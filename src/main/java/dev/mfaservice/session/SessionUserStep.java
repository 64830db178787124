package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserForCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A session request's first step: the user, checked by id or login name (or the session's own). When a second-factor
 * check or a challenge follows, a user known by id is read as that check needs it (row locked, its failed checks and
 * the login policy with it), so the check (the challenge's policy) reads nothing more: one statement for both.
 */
final class SessionUserStep {
  private final UserAccess visibility;
  private final SessionFactors factors;
  private final Clock clock;

  SessionUserStep(UserAccess visibility, SessionFactors factors, Clock clock) {
    this.visibility = visibility;
    this.factors = factors;
    this.clock = clock;
  }

  Future<Progress> run(SqlConnection tx, Caller caller, Progress p, SessionRequest r) {
    SecondFactorType firstCheck = firstCheck(r);
    if (r.userId() == null && r.loginName() == null) {
      String id = p.session().userId();
      return id == null ? Future.succeededFuture(p) : firstCheck != null
        ? readForCheck(tx, caller, p, r, id, firstCheck)
        : visibility.visible(tx, caller, id).map(user -> p.with(p.session(), user));
    }
    if (r.userId() != null && firstCheck != null) {
      return readForCheck(tx, caller, p, r, r.userId(), firstCheck)
        .map(read -> read.with(proveUser(read, read.user()), read.forCheck()).withDone("user"));
    }
    Future<User> user = r.userId() != null ? visibility.visible(tx, caller, r.userId())
      : visibility.visibleByLoginName(tx, caller, r.loginName());
    return user.map(u -> p.with(proveUser(p, u), u).withDone("user"));
  }

  /**
   * The user locked, read for a check of {@code type}; right behind that statement, on the same round trip, what the
   * request's checks and challenges read ahead (their rows are read, and locked, after the user's lock is held).
   */
  private Future<Progress> readForCheck(SqlConnection tx, Caller caller, Progress p, SessionRequest r,
                                        String userId, SecondFactorType type) {
    Future<UserForCheck> read = visibility.visibleForCheck(tx, caller, userId, type.name());
    Map<String, Future<?>> ahead = new HashMap<>();
    for (SessionCheck check : factors.checks()) {
      JsonObject asked = r.checks().getJsonObject(check.name());
      if (asked != null) {
        keep(ahead, check.name(), check.readAhead(tx, userId, p.session().id(), asked));
      }
    }
    for (SessionChallenge challenge : factors.challenges()) {
      if (r.challenges().getJsonObject(challenge.name()) != null) {
        keep(ahead, Progress.challengeKey(challenge.name()), challenge.readAhead(tx, userId));
      }
    }
    Progress reading = p.readingAhead(ahead);
    return read.map(user -> reading.with(p.session(), user));
  }

  private static void keep(Map<String, Future<?>> ahead, String key, Future<?> read) {
    if (read != null) {
      ahead.put(key, read);
    }
  }

  /** The factor type of the request's first second-factor check, else of its first challenge, or null. */
  private SecondFactorType firstCheck(SessionRequest request) {
    return factors.checks().stream().filter(f -> request.checks().getJsonObject(f.name()) != null)
      .map(SessionCheck::type).findFirst()
      .orElseGet(() -> factors.challenges().stream().filter(c -> request.challenges().getJsonObject(c.name()) != null)
        .map(SessionChallenge::type).findFirst().orElse(null));
  }

  /** The session now of user {@code u}, checked now; refused when it belongs to another user. */
  Session proveUser(Progress p, User u) {
    if (p.session().userId() != null && !p.session().userId().equals(u.id())) {
      throw ApiError.failedPrecondition("SESSION-otherUser", "The session belongs to another user");
    }
    return p.session().withUser(u.id(), u.loginName(), u.orgId(), clock.instant());
  }
}
