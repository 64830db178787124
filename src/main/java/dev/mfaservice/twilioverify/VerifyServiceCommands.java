package dev.mfaservice.twilioverify;

import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * Verify Services of the caller's org: create, fetch, list, update, delete; each change an event
 * ({@code verify.service.added/changed/removed}) in the same transaction as the row.
 */
final class VerifyServiceCommands {
  static final String AGGREGATE = "verify.service";
  private final Transactions transactions;
  private final EventStore events;
  private final VerifyServiceRepository services;
  private final Sids sids;

  VerifyServiceCommands(Transactions transactions, EventStore events, VerifyServiceRepository services, Sids sids) {
    this.transactions = transactions;
    this.events = events;
    this.services = services;
    this.sids = sids;
  }

  Future<VerifyService> create(TwilioCredential account, JsonObject input) {
    VerifyService service = VerifyService.created(sids.next(Sids.SERVICE), account, input);
    return transactions.run(tx -> append(tx, account, service, "verify.service.added")
      .compose(event -> saved(tx, service.at(event.sequence(), event.createdAt()))));
  }

  Future<VerifyService> fetch(TwilioCredential account, String sid) {
    return services.find(transactions.pool(), account.orgId(), sid).map(found -> found.orElseThrow(() -> notFound(sid)));
  }

  Future<List<VerifyService>> page(TwilioCredential account, int size, long offset) {
    return services.page(transactions.pool(), account.orgId(), size, offset);
  }

  Future<VerifyService> update(TwilioCredential account, String sid, JsonObject input) {
    return transactions.run(tx -> locked(tx, account, sid).compose(current -> {
      VerifyService changed = current.with(input);
      return append(tx, account, changed, "verify.service.changed")
        .compose(event -> saved(tx, changed.at(event.sequence(), event.createdAt())));
    }));
  }

  Future<Void> delete(TwilioCredential account, String sid) {
    return transactions.run(tx -> locked(tx, account, sid)
      .compose(current -> events.append(tx, new NewEvent(AGGREGATE, sid, "verify.service.removed", new JsonObject(),
        account.accountSid(), account.orgId()), current.sequence()))
      .compose(event -> services.delete(tx, account.orgId(), sid)));
  }

  private Future<VerifyService> locked(SqlConnection tx, TwilioCredential account, String sid) {
    return services.lock(tx, account.orgId(), sid).map(found -> found.orElseThrow(() -> notFound(sid)));
  }

  /** The event of a change, its creator the account sid (the Verify API knows no user). */
  private Future<Event> append(SqlConnection tx, TwilioCredential account, VerifyService service, String type) {
    return events.append(tx, new NewEvent(AGGREGATE, service.sid(), type, service.settings(), account.accountSid(),
      account.orgId()), service.sequence());
  }

  private Future<VerifyService> saved(SqlConnection tx, VerifyService service) {
    return services.save(tx, service).map(service);
  }

  private static TwilioError notFound(String sid) {
    return TwilioError.notFound("/v2/Services/" + sid);
  }
}
