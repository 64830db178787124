package dev.mfaservice.notify;

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
 * <p>
 * On stop it takes no more work and waits (at most {@link #stopWaitingAtMost}) for every send in
 * flight and the write that records it, so none is sent again by the next holder of its lease; rows
 * claimed after the stop began are released unsent, for the next start or another instance.
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
  private final NotifySettings config;
  private final Clock clock;
  private final InFlight inFlight = new InFlight();
  private volatile Duration stopWait = Duration.ofSeconds(5);
  private MessageConsumer<String> consumer;
  private long sweepTimer;
  private boolean sweeping;
  private boolean stopping;

  public OutboxWorker(String channel, Pool pool, OutboxRepository rows, EventStore events, Keyring keyring,
                      ChannelTransport transport, NotifySettings config, Clock clock) {
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

  /** How long {@link #stop} may wait for sends in flight; the application's shutdown sets it from its grace left. */
  public void stopWaitingAtMost(Duration wait) {
    stopWait = wait;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(sweepTimer);
    return consumer.unregister().compose(v -> inFlight.drained(vertx, stopWait.toMillis())).onSuccess(drained -> {
      if (!drained) {
        LOG.warn("{} worker stopped with {} send(s) in flight after {} ms: their rows stay claimed until the lease ends",
          channel, inFlight.count(), stopWait.toMillis());
      }
    });
  }

  private void claimOne(String id) {
    if (stopping) {
      return;
    }
    Instant now = clock.instant();
    Future<List<OutboxMessage>> claimed = rows.claimOne(pool, channel, id, now.plusSeconds(config.leaseSeconds()), now)
      .onFailure(e -> LOG.warn("claiming outbox row {} failed: {}", id, e.toString()));
    inFlight.track(claimed.compose(this::deliverAll));
  }

  private void sweep() {
    if (sweeping || stopping) {
      return;
    }
    sweeping = true;
    Instant now = clock.instant();
    Future<List<OutboxMessage>> claimed = rows.claimDue(pool, channel, SWEEP_BATCH, now.plusSeconds(config.leaseSeconds()), now)
      .onFailure(e -> LOG.warn("sweeping the {} outbox failed: {}", channel, e.toString()))
      .onComplete(done -> sweeping = false);
    inFlight.track(claimed.compose(this::deliverAll));
  }

  /** Completes when every claimed row is sent, rescheduled or failed, and that is recorded. */
  private Future<Void> deliverAll(List<OutboxMessage> claimed) {
    if (stopping) {
      return release(claimed);
    }
    return Future.join(claimed.stream().map(this::deliver).toList()).mapEmpty();
  }

  /** A claim that came back after the stop began: unsent, free again at once (not after the lease). */
  private Future<Void> release(List<OutboxMessage> claimed) {
    if (claimed.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> ids = claimed.stream().map(OutboxMessage::id).toList();
    return rows.release(pool, ids)
      .onSuccess(v -> LOG.info("{} worker stopping: {} claimed row(s) released unsent", channel, ids.size()))
      .onFailure(e -> LOG.warn("releasing outbox rows {} failed: {}", ids, e.toString()));
  }

  private Future<Void> deliver(OutboxMessage m) {
    if (m.sealedPayload() == null || !m.expiresAt().isAfter(clock.instant())) {
      // SEC S3: an expired code is wiped, never sent late (a notice expires too, after a day).
      return finish(m, false, "the message expired before it could be sent");
    }
    JsonObject payload;
    try {
      payload = new JsonObject(io.vertx.core.buffer.Buffer.buffer(keyring.open(m.sealedPayload(), OutboxMessage.sealingContext(m.id()))));
    } catch (IllegalStateException e) {
      return finish(m, false, "the payload cannot be opened: " + e.getMessage());
    }
    return transport.send(m, payload).transform(sent -> {
      if (sent.succeeded()) {
        return finish(m, true, null);
      } else if (transport.permanent(sent.cause()) || m.attempts() >= config.maxAttempts()) {
        return finish(m, false, reason(sent.cause()));
      }
      return retryLater(m, reason(sent.cause()));
    });
  }

  private Future<Void> retryLater(OutboxMessage m, String reason) {
    long exponential = Math.min((long) config.backoffBaseMillis() << Math.min(m.attempts() - 1, 20), config.backoffMaxMillis());
    long delay = (long) (exponential * (0.5 + ThreadLocalRandom.current().nextDouble()));
    LOG.warn("{} {} to {} failed (attempt {}), retry in {} ms: {}", channel, m.id(), Channels.mask(m.recipient()),
      m.attempts(), delay, reason);
    return rows.retryAt(pool, m.id(), clock.instant().plus(Duration.ofMillis(delay)), reason)
      .onFailure(e -> LOG.warn("rescheduling outbox row {} failed: {}", m.id(), e.toString()));
  }

  /**
   * Records the outcome; while the database is away (a failover) it tries again every 500 ms for
   * up to half the claim's lease. A message sent whose outcome was not recorded would be claimed
   * again when the lease ends and sent twice. Recording is idempotent (a row already marked moves no more).
   */
  private Future<Void> finish(OutboxMessage m, boolean sent, String reason) {
    return finish(m, sent, reason, System.nanoTime() + config.leaseSeconds() * 500_000_000L);
  }

  private Future<Void> finish(OutboxMessage m, boolean sent, String reason, long giveUpAt) {
    return record(m, sent, reason).recover(e -> retryRecord(e, giveUpAt, () -> finish(m, sent, reason, giveUpAt)));
  }

  private Future<Void> retryRecord(Throwable failure, long giveUpAt, java.util.function.Supplier<Future<Void>> again) {
    if (dev.mfaservice.errors.DatabaseUnavailable.of(failure).isEmpty() || System.nanoTime() > giveUpAt) {
      return Future.failedFuture(failure);
    }
    return vertx.timer(500).compose(t -> again.get());
  }

  /** Marks the row sent or failed and records the event, in one transaction. */
  private Future<Void> record(OutboxMessage m, boolean sent, String reason) {
    JsonObject payload = new JsonObject().put("channel", channel).put("attempts", m.attempts());
    if (reason != null) {
      payload.put("reason", reason);
    }
    String type = sent ? "notification.sent" : "notification.failed";
    return pool.withTransaction(tx -> (sent ? rows.markSent(tx, m.id(), clock.instant()) : rows.markFailed(tx, m.id(), reason))
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
      .onFailure(e -> LOG.warn("recording the outcome of outbox row {} failed: {}", m.id(), e.toString()))
      .mapEmpty();
  }

  private static String reason(Throwable failure) {
    String text = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return text.length() > 300 ? text.substring(0, 300) : text;
  }
}
