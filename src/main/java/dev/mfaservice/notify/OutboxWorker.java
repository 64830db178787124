package dev.mfaservice.notify;

import dev.mfaservice.app.Config;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one channel's outbox rows: woken by the event bus after a commit, and by a periodic
 * sweep for rows never announced or left by a worker that died. Each row is claimed with a lease
 * (FOR UPDATE SKIP LOCKED), so instances sharing the database never send a row twice; sent rows
 * are marked sent and their code wiped. Transient failures retry with exponential backoff and
 * jitter; permanent ones, expiry or too many attempts end as failed, with an event.
 */
public final class OutboxWorker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);
  private static final int SWEEP_BATCH = 20;

  private final String channel;
  private final Pool pool;
  private final OutboxRepository rows;
  private final EventStore events;
  private final Keyring keyring;
  private final ChannelTransport transport;
  private final Config.Notify config;
  private final Clock clock;
  private MessageConsumer<String> consumer;
  private long sweepTimer;
  private boolean sweeping;

  public OutboxWorker(String channel, Pool pool, OutboxRepository rows, EventStore events, Keyring keyring,
                      ChannelTransport transport, Config.Notify config, Clock clock) {
    this.channel = channel;
    this.pool = pool;
    this.rows = rows;
    this.events = events;
    this.keyring = keyring;
    this.transport = transport;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().<String>consumer(Channels.address(channel), message -> claimOne(message.body()));
    sweepTimer = vertx.setPeriodic(config.sweepSeconds() * 1000L, t -> sweep());
    return consumer.completion().onSuccess(v -> sweep());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    return consumer.unregister();
  }

  private void claimOne(String id) {
    Instant now = clock.instant();
    rows.claimOne(pool, channel, id, now.plusSeconds(config.leaseSeconds()), now)
      .onSuccess(this::deliverAll)
      .onFailure(e -> LOG.warn("claiming outbox row {} failed: {}", id, e.toString()));
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    Instant now = clock.instant();
    rows.claimDue(pool, channel, SWEEP_BATCH, now.plusSeconds(config.leaseSeconds()), now)
      .onSuccess(this::deliverAll)
      .onFailure(e -> LOG.warn("sweeping the {} outbox failed: {}", channel, e.toString()))
      .onComplete(done -> sweeping = false);
  }

  private void deliverAll(List<OutboxMessage> claimed) {
    claimed.forEach(this::deliver);
  }

  private void deliver(OutboxMessage m) {
    if (m.sealedPayload() == null || !m.expiresAt().isAfter(clock.instant())) {
      // SEC S3: an expired code is wiped, never sent late (a notice expires too, after a day).
      finish(m, false, "the message expired before it could be sent");
      return;
    }
    JsonObject payload;
    try {
      payload = new JsonObject(io.vertx.core.buffer.Buffer.buffer(keyring.open(m.sealedPayload(), OutboxMessage.sealingContext(m.id()))));
    } catch (IllegalStateException e) {
      finish(m, false, "the payload cannot be opened: " + e.getMessage());
      return;
    }
    transport.send(m, payload).onComplete(sent -> {
      if (sent.succeeded()) {
        finish(m, true, null);
      } else if (transport.permanent(sent.cause()) || m.attempts() >= config.maxAttempts()) {
        finish(m, false, reason(sent.cause()));
      } else {
        retryLater(m, reason(sent.cause()));
      }
    });
  }

  private void retryLater(OutboxMessage m, String reason) {
    long exponential = Math.min((long) config.backoffBaseMillis() << Math.min(m.attempts() - 1, 20), config.backoffMaxMillis());
    long delay = (long) (exponential * (0.5 + ThreadLocalRandom.current().nextDouble()));
    LOG.warn("{} {} to {} failed (attempt {}), retry in {} ms: {}", channel, m.id(), Channels.mask(m.recipient()),
      m.attempts(), delay, reason);
    rows.retryAt(pool, m.id(), clock.instant().plus(Duration.ofMillis(delay)), reason)
      .onFailure(e -> LOG.warn("rescheduling outbox row {} failed: {}", m.id(), e.toString()));
  }

  /** Marks the row sent or failed and records the event, in one transaction. */
  private void finish(OutboxMessage m, boolean sent, String reason) {
    JsonObject payload = new JsonObject().put("channel", channel).put("attempts", m.attempts());
    if (reason != null) {
      payload.put("reason", reason);
    }
    String type = sent ? "notification.sent" : "notification.failed";
    pool.withTransaction(tx -> (sent ? rows.markSent(tx, m.id(), clock.instant()) : rows.markFailed(tx, m.id(), reason))
      .compose(changed -> changed
        ? events.append(tx, new NewEvent(Outbox.AGGREGATE, m.id(), type, payload, "system", m.orgId()), 1).mapEmpty()
        : Future.succeededFuture()))
      .onSuccess(v -> {
        if (sent) {
          LOG.info("{} {} sent to {} (attempt {})", channel, m.id(), Channels.mask(m.recipient()), m.attempts());
        } else {
          LOG.warn("{} {} to {} failed for good: {}", channel, m.id(), Channels.mask(m.recipient()), reason);
        }
      })
      .onFailure(e -> LOG.warn("recording the outcome of outbox row {} failed: {}", m.id(), e.toString()));
  }

  private static String reason(Throwable failure) {
    String text = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return text.length() > 300 ? text.substring(0, 300) : text;
  }
}
