package dev.mfaservice.user;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.SecondFactorPolicy;
import dev.mfaservice.org.SecondFactorType;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Optional;

/**
 * "May this caller act on this user?" in one place. A caller with no right at all on the user
 * (not the user, no role in the user's org) gets the very answer of an unknown user (SEC A7);
 * a caller who may see the user but not do the thing gets 7/PERMISSION_DENIED.
 *
 * <p><b>Lock order.</b> A transaction that locks or changes a user's factor rows (TOTP factor, OTP authenticators,
 * security keys, recovery codes, the user's one-time codes) locks the user's row first, then the factor's rows:
 * a sign-in with {@link #visibleForCheck} (its checks' rows read right behind it), a command that changes factors
 * with {@link #visibleLocked} (or {@link #visibleForCheck}) sent before any statement on a factor's row. Locking them
 * the other way round (the factor's row, then the user's when the command appends the user's event) deadlocks with a
 * sign-in of the same user, and PostgreSQL aborts one of the two. Locked first, the user is also read as the command
 * before it left it: its event's sequence is the next one.
 */
public final class UserAccess {
  private final UserRepository users;

  public UserAccess(UserRepository users) {
    this.users = users;
  }

  public static ApiError userNotFound() {
    return ApiError.notFound("COMMAND-SqyJz", "User could not be found");
  }

  /** The user, if the caller is that user or may manage users of its org; else 404 as if unknown. */
  public Future<User> visible(SqlClient client, Caller caller, String userId) {
    return users.find(client, userId).map(found -> seen(caller, found));
  }

  /**
   * As {@link #visible}, the row locked until the transaction ends: for a command that changes the user's factors,
   * before it touches a factor's row (see the lock order above).
   */
  public Future<User> visibleLocked(SqlClient tx, Caller caller, String userId) {
    return users.findForUpdate(tx, userId).map(found -> seen(caller, found));
  }

  /**
   * As {@link #visible}, read for a check of {@code factorType} at sign-in: the row locked, with the user's failed
   * checks, the lockout limit and the login policy (see {@link UserRepository#findForCheck}), in one statement.
   */
  public Future<UserForCheck> visibleForCheck(SqlClient tx, Caller caller, String userId, String factorType) {
    return visibleForCheck(tx, caller, userId, factorType, true);
  }

  /**
   * As {@link #visibleForCheck(SqlClient, Caller, String, String)}, {@code lock} false: read without a lock, for a
   * check whose write is guarded by the user's sequence instead (a sign-in's optimistic path).
   */
  public Future<UserForCheck> visibleForCheck(SqlClient client, Caller caller, String userId, String factorType,
                                              boolean lock) {
    return users.findForCheck(client, userId, factorType, lock).map(found -> found.filter(t -> sees(caller, t.user()))
      .orElseThrow(UserAccess::userNotFound));
  }

  /**
   * The one access step of every factor's enrolment: the user visible to the caller (else 404), its row locked (before
   * any factor's row: the lock order above), read with its failed checks of {@code type} and the lockout limit, and the
   * org's login policy allowing {@code type} (else 9/FAILED_PRECONDITION), in one statement a factor's own reads can
   * be pipelined behind.
   */
  public Future<UserForCheck> enrolling(SqlClient tx, Caller caller, String userId, SecondFactorType type) {
    return enrolling(tx, caller, userId, type, true);
  }

  /** As above; {@code lock} false reads without a lock, for a command whose write guards itself by the sequence read. */
  public Future<UserForCheck> enrolling(SqlClient client, Caller caller, String userId, SecondFactorType type,
                                        boolean lock) {
    return visibleForCheck(client, caller, userId, type.name(), lock).compose(target -> target.factorAllowed()
      ? Future.succeededFuture(target) : Future.failedFuture(SecondFactorPolicy.refusal(type)));
  }

  /** The user found, if the caller may see it; else (or if none was found) 404 as if unknown. */
  private static User seen(Caller caller, Optional<User> found) {
    return found.filter(u -> sees(caller, u)).orElseThrow(UserAccess::userNotFound);
  }

  private static boolean sees(Caller caller, User u) {
    return caller.isSelf(u.id()) || caller.mayManageUsersOf(u.orgId());
  }

  /**
   * As {@link #visible}, by login name. Only the users the caller may see count: a name that is
   * ambiguous among them is refused, and users it may not see are not even counted, so a caller
   * learns nothing about names in other orgs (SEC A7).
   */
  public Future<User> visibleByLoginName(SqlClient client, Caller caller, String loginName) {
    return users.findByLoginName(client, loginName).map(found -> {
      java.util.List<User> visible = found.stream().filter(u -> sees(caller, u)).toList();
      if (visible.size() > 1) {
        throw ApiError.invalidArgument("SESSION-ambiguousLoginName", "Several users have this login name: check the userId");
      }
      return visible.stream().findFirst().orElseThrow(UserAccess::userNotFound);
    });
  }

  /** The user, if the caller may manage users of its org (self is not enough): 404 or 403 otherwise. */
  public Future<User> managed(SqlClient client, Caller caller, String userId) {
    return visible(client, caller, userId).map(user -> {
      if (!caller.mayManageUsersOf(user.orgId())) {
        throw ApiError.permissionDenied();
      }
      return user;
    });
  }
}
