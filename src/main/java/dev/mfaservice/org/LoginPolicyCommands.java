package dev.mfaservice.org;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.PolicyRepository.Effective;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Adding and removing second factor types of an org's login policy or of the instance default.
 * An org without a list of its own inherits the default; its first change copies the default
 * into its own list (event {@code org.policy.login.added}), then applies the change.
 */
public final class LoginPolicyCommands {
  private final Transactions transactions;
  private final PolicyChanges changes;
  private final PolicyRepository policies;

  public LoginPolicyCommands(Transactions transactions, EventStore events, OrgRepository orgs, PolicyRepository policies) {
    this.transactions = transactions;
    this.changes = new PolicyChanges(events, orgs);
    this.policies = policies;
  }

  public Future<Details> addSecondFactor(Caller caller, PolicyScope scope, SecondFactorType type) {
    return change(caller, scope, type, "policy.login.secondfactor.added", current -> {
      if (current.contains(type)) {
        throw ApiError.alreadyExists("Org-2B0ps", "Multifactor already exists in the login policy: " + type.name());
      }
      List<SecondFactorType> next = new ArrayList<>(current);
      next.add(type);
      return next;
    }).map(Event::createdAndChanged);
  }

  public Future<Details> removeSecondFactor(Caller caller, PolicyScope scope, SecondFactorType type) {
    return change(caller, scope, type, "policy.login.secondfactor.removed", current -> {
      if (!current.contains(type)) {
        throw ApiError.notFound("Org-3M9od", "Multifactor is not in the login policy: " + type.name());
      }
      List<SecondFactorType> next = new ArrayList<>(current);
      next.remove(type);
      return next;
    }).map(Event::changed);
  }

  private Future<Event> change(Caller caller, PolicyScope scope, SecondFactorType type, String eventSuffix,
                               UnaryOperator<List<SecondFactorType>> rule) {
    return transactions.run(tx -> changes.begin(tx, caller, scope)
      .compose(version -> policies.secondFactors(tx, scope.ownerId(), true).compose(current -> {
        List<SecondFactorType> next = rule.apply(current.value());
        return copyIfInherited(tx, caller, scope, current, version)
          .compose(v -> changes.append(tx, caller, scope, eventSuffix, new JsonObject().put("mfaType", type.name()), v))
          .compose(event -> policies.saveSecondFactors(tx, scope.ownerId(), next).map(event));
      })));
  }

  /** The version after the copy event, if one was needed. */
  private Future<Long> copyIfInherited(SqlConnection tx, Caller caller, PolicyScope scope,
                                       Effective<List<SecondFactorType>> current, long version) {
    if (!current.inherited()) {
      return Future.succeededFuture(version);
    }
    JsonArray copied = new JsonArray(current.value().stream().map(Enum::name).toList());
    return changes.append(tx, caller, scope, "policy.login.added", new JsonObject().put("secondFactors", copied), version)
      .map(Event::sequence);
  }
}
