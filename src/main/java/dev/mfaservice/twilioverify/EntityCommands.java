package dev.mfaservice.twilioverify;

import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Entities (YE) of a Service: create (an Identity that exists is answered as it is), fetch, list, delete (its factors
 * and challenges with it). Every write to an Entity's factors and challenges holds its row's lock ({@link #locked}):
 * the changes of one Entity run one after another. Each change is an event ({@code verify.entity.*}).
 */
final class EntityCommands {
  static final String AGGREGATE = "verify.entity";
  private final Transactions transactions;
  private final EventStore events;
  private final VerifyServiceRepository services;
  private final EntityRepository entities;
  private final Sids sids;
  private final Clock clock;

  EntityCommands(Transactions transactions, EventStore events, VerifyServiceRepository services, EntityRepository entities,
                 Sids sids, Clock clock) {
    this.transactions = transactions;
    this.events = events;
    this.services = services;
    this.entities = entities;
    this.sids = sids;
    this.clock = clock;
  }

  Future<VerifyEntity> create(TwilioCredential account, String serviceSid, String identity) {
    return transactions.run(tx -> service(tx, account, serviceSid).compose(service -> lockedOrAdded(tx, account, service,
      VerifyEntity.identity(identity))));
  }

  Future<VerifyEntity> fetch(TwilioCredential account, String serviceSid, String identity) {
    return entities.find(transactions.pool(), account.orgId(), serviceSid, VerifyEntity.identity(identity), false)
      .map(found -> found.orElseThrow(() -> notFound(serviceSid, identity)));
  }

  Future<List<VerifyEntity>> page(TwilioCredential account, String serviceSid, int limit, long offset) {
    return service(transactions.pool(), account, serviceSid)
      .compose(service -> entities.page(transactions.pool(), account.orgId(), serviceSid, limit, offset));
  }

  Future<Void> delete(TwilioCredential account, String serviceSid, String identity) {
    return transactions.run(tx -> locked(tx, account, serviceSid, identity)
      .compose(entity -> append(tx, entity, "verify.entity.removed", new JsonObject())
        .compose(event -> entities.delete(tx, entity.sid()))));
  }

  /** The Service of the caller's org, or 20404. */
  Future<VerifyService> service(io.vertx.sqlclient.SqlClient client, TwilioCredential account, String serviceSid) {
    return services.find(client, account.orgId(), serviceSid)
      .map(found -> found.orElseThrow(() -> TwilioError.notFound("/v2/Services/" + serviceSid)));
  }

  /** The Entity, its row locked for the rest of the transaction; else 20404. */
  Future<VerifyEntity> locked(SqlConnection tx, TwilioCredential account, String serviceSid, String identity) {
    return entities.find(tx, account.orgId(), serviceSid, VerifyEntity.identity(identity), true)
      .map(found -> found.orElseThrow(() -> notFound(serviceSid, identity)));
  }

  /** The Entity of {@code identity} in {@code service}, locked; added first if there is none (a Factor's create). */
  Future<VerifyEntity> lockedOrAdded(SqlConnection tx, TwilioCredential account, VerifyService service,
                                     String identity) {
    Instant now = clock.instant();
    VerifyEntity fresh = new VerifyEntity(sids.next(Sids.ENTITY), account.orgId(), service.sid(), account.accountSid(),
      identity, 1, now, now);
    return entities.insert(tx, fresh).compose(added -> added
      ? append(tx, fresh.withSequence(0), "verify.entity.added", new JsonObject()).map(fresh)
      : locked(tx, account, service.sid(), identity));
  }

  /** An event of the Entity's aggregate (after {@code entity.sequence()}), the account sid its creator. */
  Future<Void> append(SqlConnection tx, VerifyEntity entity, String type, JsonObject payload) {
    payload.put("serviceSid", entity.serviceSid()).put("identity", entity.identity());
    return events.append(tx, new NewEvent(AGGREGATE, entity.sid(), type, payload, entity.accountSid(), entity.orgId()),
      entity.sequence()).mapEmpty();
  }

  private static TwilioError notFound(String serviceSid, String identity) {
    return TwilioError.notFound("/v2/Services/" + serviceSid + "/Entities/" + identity);
  }
}
