package dev.mfaservice.factors;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.user.UserAccess;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/** A user's second factors across the factor kinds, each kind asked through its {@link FactorSource}. */
public final class AuthMethodQueries {
  private final Pool pool;
  private final UserAccess access;
  private final List<FactorSource> sources;

  public AuthMethodQueries(Pool pool, UserAccess access, List<FactorSource> sources) {
    this.pool = pool;
    this.access = access;
    this.sources = List.copyOf(sources);
  }

  /** Every factor of the user, ready or not, in the lists' order of the types (a type's own entries in theirs). */
  public Future<List<UserFactor>> factors(Caller caller, String userId) {
    return access.visible(pool, caller, userId).compose(user -> {
      List<Future<List<UserFactor>>> each = sources.stream().map(s -> s.factorsOf(pool, user.id())).toList();
      return Future.all(each).map(all -> {
        List<UserFactor> factors = new ArrayList<>();
        each.forEach(f -> factors.addAll(f.result()));
        factors.sort(java.util.Comparator.comparingInt(f -> f.type().listPosition()));
        return factors;
      });
    });
  }

  public Future<List<UserFactor>> readyFactors(Caller caller, String userId) {
    return factors(caller, userId).map(all -> all.stream().filter(UserFactor::ready).toList());
  }
}
