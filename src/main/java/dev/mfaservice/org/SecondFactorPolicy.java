package dev.mfaservice.org;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * The one place that answers "does org X allow second factor type T": the org's own list,
 * or the instance default while it has none. Enrolment and login checks of every factor ask here.
 */
public final class SecondFactorPolicy {
  private final PolicyRepository policies;

  public SecondFactorPolicy(PolicyRepository policies) {
    this.policies = policies;
  }

  public Future<Boolean> allows(SqlClient client, String orgId, SecondFactorType type) {
    return policies.allows(client, orgId, type);
  }

  /** Succeeds if allowed, else 9/FAILED_PRECONDITION naming the type. */
  public Future<Void> require(SqlClient client, String orgId, SecondFactorType type) {
    return allows(client, orgId, type).compose(allowed -> allowed ? Future.<Void>succeededFuture() : Future.failedFuture(refusal(type)));
  }

  public static ApiError refusal(SecondFactorType type) {
    return ApiError.failedPrecondition("POLICY-factorNotAllowed",
      type.name() + " is not allowed by the login policy of the user's organization");
  }
}
