package dev.mfaservice.notify;

import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;

/**
 * Writing messages into the outbox inside a command's transaction, and telling the channel's
 * worker after commit. If the tell is lost (crash, no worker), the sweeper finds the row.
 */
public final class Outbox {
  public static final String AGGREGATE = "notification";
  private final OutboxRepository rows;
  private final EventStore events;
  private final Keyring keyring;
  private final IdGenerator ids;
  private final EventBus bus;
  private final Clock clock;

  public Outbox(OutboxRepository rows, EventStore events, Keyring keyring, IdGenerator ids, EventBus bus, Clock clock) {
    this.rows = rows;
    this.events = events;
    this.keyring = keyring;
    this.ids = ids;
    this.bus = bus;
    this.clock = clock;
  }

  /** The new row's id; the event {@code notification.queued} records it with a masked recipient. */
  public Future<String> enqueue(SqlClient tx, NewMessage message, SendKeys keys) {
    String creator = keys.callerId();
    String id = ids.next();
    byte[] sealed = keyring.seal(message.payload().toBuffer().getBytes(), OutboxMessage.sealingContext(id));
    JsonObject audit = new JsonObject().put("channel", message.channel()).put("template", message.template())
      .put("recipient", Channels.mask(message.recipient())).put("userId", message.userId());
    return rows.insert(tx, id, message, keys, sealed, clock.instant())
      .compose(v -> events.append(tx, new NewEvent(AGGREGATE, id, "notification.queued", audit, creator, message.orgId()), 0))
      .map(id);
  }

  /** A message that could not be queued (a notice for a user without a reachable contact), recorded as an event. */
  public Future<Void> skipped(SqlClient tx, String userId, String orgId, String template, String reason, String creator) {
    JsonObject audit = new JsonObject().put("template", template).put("userId", userId).put("reason", reason);
    return events.append(tx, new NewEvent(AGGREGATE, ids.next(), "notification.skipped", audit, creator, orgId), 0).mapEmpty();
  }

  /** After commit: wake the channel's worker. Fire and forget; the sweeper covers a lost tell. */
  public void dispatch(String channel, String id) {
    bus.send(Channels.address(channel), id);
  }
}
