package dev.mfaservice.notify;

import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a refused send leaves behind (SEC B2 "alert"): at once the counter {@code mfa_send_refused_total{limit,channel}}
 * and one log line; then a {@code notification.limited} event naming the limit, in a transaction of its own (the
 * command's is rolled back), written on a connection of its own once one is free. The recipient only masked, never a code.
 */
public final class SendRefusals {
  public static final String EVENT = "notification.limited";
  private static final Logger LOG = LoggerFactory.getLogger(SendRefusals.class);
  private final Pool pool;
  private final EventStore events;
  private final IdGenerator ids;
  private final MeterRegistry metrics;

  public SendRefusals(Pool pool, EventStore events, IdGenerator ids, MeterRegistry metrics) {
    this.pool = pool;
    this.events = events;
    this.ids = ids;
    this.metrics = metrics;
  }

  /** Records the refusal; never fails (a lost record must not turn the 429 into a 500). */
  Future<Void> record(String limit, SendKeys keys) {
    Counter.builder("mfa.send.refused").description("Codes not sent because a send limit was reached")
      .tag("limit", limit).tag("channel", keys.channel()).register(metrics).increment();
    String recipient = Channels.mask(keys.recipient());
    LOG.info("send refused limit={} channel={} recipient={} user={}", limit, keys.channel(), recipient, keys.userId());
    JsonObject payload = new JsonObject().put("limit", limit).put("channel", keys.channel()).put("recipient", recipient)
      .put("userId", keys.userId());
    NewEvent event = new NewEvent(Outbox.AGGREGATE, ids.next(), EVENT, payload, keys.callerId(), keys.orgId());
    return pool.withTransaction(tx -> events.append(tx, event, 0))
      .<Void>mapEmpty()
      .recover(failed -> {
        LOG.warn("could not record a refused send: {}", failed.toString());
        return Future.succeededFuture();
      });
  }
}
