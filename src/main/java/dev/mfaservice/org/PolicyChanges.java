package dev.mfaservice.org;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

/**
 * The write side shared by the policy commands: who may change a scope, loading its aggregate's
 * version (locking the org row), and appending events to the org or the instance aggregate.
 */
final class PolicyChanges {
  private final EventStore events;
  private final OrgRepository orgs;

  PolicyChanges(EventStore events, OrgRepository orgs) {
    this.events = events;
    this.orgs = orgs;
  }

  /** The version of the scope's aggregate, after the rights check: ORG_OWNER of the org or IAM_OWNER; the default only IAM_OWNER. */
  Future<Long> begin(SqlClient tx, Caller caller, PolicyScope scope) {
    if (scope.isDefault() ? !caller.isIamOwner() : !caller.mayManageOrg(scope.orgId())) {
      return Future.failedFuture(ApiError.permissionDenied());
    }
    if (scope.isDefault()) {
      return events.currentSequence(tx, scope.aggregateType(), scope.aggregateId());
    }
    return orgs.lockForChange(tx, scope.orgId()).map(org -> org
      .orElseThrow(() -> ApiError.notFound("ORG-notFound", "Organization could not be found")).sequence());
  }

  Future<Event> append(SqlClient tx, Caller caller, PolicyScope scope, String eventSuffix, JsonObject payload,
                       long expectedSequence) {
    String owner = scope.isDefault() ? PolicyScope.INSTANCE : scope.orgId();
    NewEvent event = new NewEvent(scope.aggregateType(), scope.aggregateId(), scope.eventType(eventSuffix), payload,
      caller.userId(), owner);
    return events.append(tx, event, expectedSequence).compose(appended -> scope.isDefault()
      ? Future.succeededFuture(appended)
      : orgs.touch(tx, scope.orgId(), appended).map(appended));
  }
}
