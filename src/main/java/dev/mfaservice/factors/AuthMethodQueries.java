package dev.mfaservice.factors;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.totp.TotpRepository;
import dev.mfaservice.user.UserAccess;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/** Which second factors a user has ready, across the factor types. */
public final class AuthMethodQueries {
  /** A ready second factor, in the words of the user service v2 enum. */
  public enum AuthMethod { TOTP }

  private final Pool pool;
  private final UserAccess access;
  private final TotpRepository totp;

  public AuthMethodQueries(Pool pool, UserAccess access, TotpRepository totp) {
    this.pool = pool;
    this.access = access;
    this.totp = totp;
  }

  public Future<List<AuthMethod>> readyMethods(Caller caller, String userId) {
    return access.visible(pool, caller, userId).compose(user -> totp.isReady(pool, user.id())).map(ready -> {
      List<AuthMethod> methods = new ArrayList<>();
      if (ready) {
        methods.add(AuthMethod.TOTP);
      }
      return methods;
    });
  }
}
