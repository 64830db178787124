package dev.mfaservice.user;

import dev.mfaservice.auth.Caller;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** Reading users, as the caller may see them. */
public final class UserQueries {
  private final Pool pool;
  private final UserAccess access;

  public UserQueries(Pool pool, UserAccess access) {
    this.pool = pool;
    this.access = access;
  }

  public Future<User> getUser(Caller caller, String userId) {
    return access.visible(pool, caller, userId);
  }
}
