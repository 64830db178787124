package dev.mfaservice.org;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.PolicyRepository.Lockout;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.BiFunction;

/** An org's own lockout policy (add, change, reset to the default) and the instance default's change. */
public final class LockoutPolicyCommands {
  private final Transactions transactions;
  private final PolicyChanges changes;
  private final PolicyRepository policies;

  public LockoutPolicyCommands(Transactions transactions, EventStore events, OrgRepository orgs, PolicyRepository policies) {
    this.transactions = transactions;
    this.changes = new PolicyChanges(events, orgs);
    this.policies = policies;
  }

  public Future<Details> addCustom(Caller caller, PolicyScope org, Lockout lockout) {
    return write(caller, org, "policy.lockout.added", lockout, (tx, v) -> policies.lockout(tx, org.ownerId())
      .compose(current -> current.inherited()
        ? policies.insertLockout(tx, org.ownerId(), lockout)
        : Future.failedFuture(ApiError.alreadyExists("Org-lockoutExists",
          "The organization has its own lockout policy already: change it instead"))))
      .map(Event::createdAndChanged);
  }

  /** For an org: its own policy must exist. For the default ({@link PolicyScope#DEFAULT}): always there. */
  public Future<Details> change(Caller caller, PolicyScope scope, Lockout lockout) {
    return write(caller, scope, "policy.lockout.changed", lockout, (tx, v) -> policies.updateLockout(tx, scope.ownerId(), lockout)
      .compose(updated -> updated ? Future.<Void>succeededFuture() : Future.failedFuture(noOwnPolicy())))
      .map(Event::changed);
  }

  public Future<Details> resetToDefault(Caller caller, PolicyScope org) {
    return write(caller, org, "policy.lockout.removed", null, (tx, v) -> policies.deleteLockout(tx, org.ownerId())
      .compose(deleted -> deleted ? Future.<Void>succeededFuture() : Future.failedFuture(noOwnPolicy())))
      .map(Event::changed);
  }

  private Future<Event> write(Caller caller, PolicyScope scope, String eventSuffix, Lockout lockout,
                              BiFunction<SqlConnection, Long, Future<Void>> stateChange) {
    JsonObject payload = lockout == null ? new JsonObject() : new JsonObject()
      .put("maxPasswordAttempts", lockout.maxPasswordAttempts()).put("maxOtpAttempts", lockout.maxOtpAttempts());
    return transactions.run(tx -> changes.begin(tx, caller, scope)
      .compose(version -> stateChange.apply(tx, version)
        .compose(v -> changes.append(tx, caller, scope, eventSuffix, payload, version))));
  }

  private static ApiError noOwnPolicy() {
    return ApiError.notFound("Org-lockoutNotFound", "The organization has no lockout policy of its own");
  }
}
