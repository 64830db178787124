package dev.mfaservice.twilioverify;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.OrgRepository;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.function.Consumer;

/**
 * An org's Verify API credentials: created (the token is in that answer only, a keyed hash is kept), listed,
 * removed. Only the org's admin (ORG_OWNER of it, or IAM_OWNER) may; others get 403, an unknown org 404.
 */
public final class CredentialCommands {
  static final String AGGREGATE = "twilio.credential";
  private final Transactions transactions;
  private final EventStore events;
  private final OrgRepository orgs;
  private final CredentialRepository credentials;
  private final CodeHasher hasher;
  private final Sids sids;
  private final Consumer<String> removed;

  /** @param removed told of each credential removed (after the commit) */
  CredentialCommands(Transactions transactions, EventStore events, OrgRepository orgs, CredentialRepository credentials,
                     CodeHasher hasher, Sids sids, Consumer<String> removed) {
    this.removed = removed;
    this.transactions = transactions;
    this.events = events;
    this.orgs = orgs;
    this.credentials = credentials;
    this.hasher = hasher;
    this.sids = sids;
  }

  /** A new credential with its token, which is shown this once. */
  public record Added(String accountSid, String authToken, Details details) {
  }

  /** What the token's hash is bound to: a hash cannot be moved to another account sid. */
  static List<String> binding(String accountSid) {
    return List.of("twilio-credential", accountSid);
  }

  public Future<Added> add(Caller caller, String orgId) {
    String accountSid = sids.next(Sids.ACCOUNT);
    String token = sids.hex(16);
    return transactions.run(tx -> existingOrg(tx, caller, orgId)
      .compose(v -> events.append(tx, new NewEvent(AGGREGATE, accountSid, "twilio.credential.added",
        new JsonObject().put("orgId", orgId), caller.userId(), orgId), 0))
      .compose(event -> credentials.insert(tx, new TwilioCredential(accountSid, orgId, event.createdAt()),
        hasher.hash(binding(accountSid), token)).map(new Added(accountSid, token, event.created()))));
  }

  public Future<List<TwilioCredential>> list(Caller caller, String orgId) {
    return transactions.run(tx -> existingOrg(tx, caller, orgId).compose(v -> credentials.list(tx, orgId)));
  }

  public Future<Details> remove(Caller caller, String orgId, String accountSid) {
    return transactions.run(tx -> existingOrg(tx, caller, orgId)
      .compose(v -> credentials.delete(tx, orgId, accountSid))
      .compose(deleted -> deleted ? events.currentSequence(tx, AGGREGATE, accountSid)
        : Future.failedFuture(ApiError.notFound("TWILIO-noCredential", "The organization has no such credential")))
      .compose(sequence -> events.append(tx, new NewEvent(AGGREGATE, accountSid, "twilio.credential.removed",
        new JsonObject().put("orgId", orgId), caller.userId(), orgId), sequence))
      .map(Event::changed)).onSuccess(done -> removed.accept(accountSid));
  }

  private Future<Void> existingOrg(SqlConnection tx, Caller caller, String orgId) {
    if (!caller.mayManageOrg(orgId)) {
      return Future.failedFuture(ApiError.permissionDenied());
    }
    return orgs.find(tx, orgId).compose(org -> org.isPresent() ? Future.<Void>succeededFuture()
      : Future.failedFuture(ApiError.notFound("ORG-notFound", "Organization could not be found")));
  }
}
