package dev.mfaservice.org;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.PolicyRepository.Effective;
import dev.mfaservice.org.PolicyRepository.Lockout;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** Reading the policies as they apply: an org's own, or the default it inherits. */
public final class PolicyQueries {
  private final Pool pool;
  private final PolicyRepository policies;

  public PolicyQueries(Pool pool, PolicyRepository policies) {
    this.pool = pool;
    this.policies = policies;
  }

  public Future<Effective<List<SecondFactorType>>> secondFactors(Caller caller, PolicyScope scope) {
    return mayRead(caller, scope).compose(v -> policies.secondFactors(pool, scope.ownerId(), false));
  }

  public Future<Effective<Lockout>> lockout(Caller caller, PolicyScope scope) {
    return mayRead(caller, scope).compose(v -> policies.lockout(pool, scope.ownerId()));
  }

  /** The default: IAM_OWNER. An org: its owners and user managers, and IAM_OWNER. */
  private static Future<Void> mayRead(Caller caller, PolicyScope scope) {
    boolean allowed = scope.isDefault() ? caller.isIamOwner()
      : caller.mayManageOrg(scope.orgId()) || caller.mayManageUsersOf(scope.orgId());
    return allowed ? Future.succeededFuture() : Future.failedFuture(ApiError.permissionDenied());
  }
}
