package dev.mfaservice.org;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/** Creating organizations (IAM_OWNER only). */
public final class OrgCommands {
  public static final String AGGREGATE = "org";

  private final Transactions transactions;
  private final EventStore events;
  private final OrgRepository orgs;
  private final IdGenerator ids;

  public OrgCommands(Transactions transactions, EventStore events, OrgRepository orgs, IdGenerator ids) {
    this.transactions = transactions;
    this.events = events;
    this.orgs = orgs;
    this.ids = ids;
  }

  public record OrgAdded(String orgId, Details details) {
  }

  /** @param requestedId the id the caller chose, or null for a generated one */
  public Future<OrgAdded> addOrganization(Caller caller, String name, String requestedId) {
    if (!caller.isIamOwner()) {
      return Future.failedFuture(ApiError.permissionDenied());
    }
    String id = requestedId != null ? requestedId : ids.next();
    return transactions.run(tx -> add(tx, caller, id, name.trim()));
  }

  private Future<OrgAdded> add(SqlConnection tx, Caller caller, String id, String name) {
    NewEvent added = new NewEvent(AGGREGATE, id, "org.added", new JsonObject().put("name", name), caller.userId(), id);
    return events.append(tx, added, 0)
      .compose(event -> orgs.insert(tx, id, name, event).map(v -> new OrgAdded(id, event.created())));
  }
}
