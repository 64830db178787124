package dev.mfaservice.ids;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's claim on the machine id its ids carry, held in the shared database: taken at
 * start-up (the lowest free id, or the one asked for), renewed every lease/3 on a timer, released
 * on shutdown. The generator only hands out ids while the last renewal is younger than the lease;
 * a renewal that finds another owner on the row stops it for good, rather than risk duplicates.
 */
public final class MachineLease {
  /** Machine ids are 16 bits. */
  public static final int ID_SPACE = 1 << 16;
  private static final int CLAIM_TRIES = 20;
  private static final Logger LOG = LoggerFactory.getLogger(MachineLease.class);

  private final Vertx vertx;
  private final Pool pool;
  private final MachineLeaseRepository rows = new MachineLeaseRepository();
  private final LeaseOwner owner;
  private final int leaseSeconds;
  private final IdGenerator ids;
  private final LongSupplier nanoTime = System::nanoTime;
  private volatile long timer = -1;
  private volatile Future<Boolean> renewing = Future.succeededFuture(true);

  private MachineLease(Vertx vertx, Pool pool, LeaseOwner owner, int leaseSeconds, Clock clock,
                       MachineLeaseRepository.Claimed claimed) {
    this.vertx = vertx;
    this.pool = pool;
    this.owner = owner;
    this.leaseSeconds = leaseSeconds;
    this.ids = IdGenerator.leased(clock, claimed.machineId(), claimed.lastTimeUnit(), nanoTime, this::renewEarly);
  }

  /** Takes {@code requested}, or the lowest free id below {@code idSpace}; fails with one line when there is none. */
  public static Future<MachineLease> acquire(Vertx vertx, Pool pool, OptionalInt requested, int leaseSeconds, int idSpace,
                                             Clock clock) {
    LeaseOwner owner = LeaseOwner.ofThisProcess();
    Range range = requested.isPresent() ? new Range(requested.getAsInt(), requested.getAsInt(), true)
      : new Range(0, idSpace - 1, false);
    MachineLeaseRepository rows = new MachineLeaseRepository();
    return claim(rows, pool, owner, leaseSeconds, range, CLAIM_TRIES)
      .map(c -> new MachineLease(vertx, pool, owner, leaseSeconds, clock, c))
      .compose(lease -> lease.renew().compose(held -> held ? Future.succeededFuture(lease)
        : Future.failedFuture(new IllegalStateException("machine id " + lease.machineId() + " was taken while leasing it"))))
      .onSuccess(MachineLease::renewPeriodically);
  }

  public IdGenerator ids() {
    return ids;
  }

  public int machineId() {
    return ids.machineId();
  }

  /** How far the last time unit the previous owner may have used is ahead of this host's clock, in ms. */
  public long clockBehindMillis() {
    return Math.max(0, ids.lastTimeUnit() - ids.clockUnit()) * 10;
  }

  /** Stops the generator and frees the id at once for the next instance. */
  public Future<Void> release() {
    vertx.cancelTimer(timer);
    ids.stop("shutting down");
    // after a renewal in flight, which would otherwise extend the lease past the release
    return renewing.transform(ar -> rows.release(pool, machineId(), owner.id(), ids.lastTimeUnit()))
      .onSuccess(v -> LOG.info("machine id {} released", machineId()));
  }

  private record Range(int from, int to, boolean explicit) {
  }

  private static Future<MachineLeaseRepository.Claimed> claim(MachineLeaseRepository rows, Pool pool, LeaseOwner owner,
                                                               int leaseSeconds, Range range, int triesLeft) {
    return rows.claim(pool, owner, leaseSeconds, range.from(), range.to())
      .compose(claimed -> claimed.map(Future::succeededFuture).orElseGet(() -> rows.live(pool, range.from(), range.to())
        .compose(live -> live.count() > range.to() - range.from() ? Future.failedFuture(new IllegalStateException(held(range, live, leaseSeconds)))
          : triesLeft > 1 ? claim(rows, pool, owner, leaseSeconds, range, triesLeft - 1)
          : Future.failedFuture(new IllegalStateException("other instances took every free machine id first, " + CLAIM_TRIES + " times")))));
  }

  private static String held(Range range, MachineLeaseRepository.Live live, int leaseSeconds) {
    if (range.explicit()) {
      return "MFA_IDS_MACHINE_ID=" + range.from() + " is held by another running instance (host " + live.host() + ", pid "
        + live.pid() + ", lease until " + live.until() + "); leave MFA_IDS_MACHINE_ID empty to lease a free id";
    }
    return "no free machine id: all " + live.count() + " ids (" + range.from() + ".." + range.to()
      + ") are held by running instances; a stopped instance's id is free again when its lease ends (MFA_IDS_LEASE_SECONDS="
      + leaseSeconds + ")";
  }

  private void renewPeriodically() {
    timer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(leaseSeconds) / 3, t -> renew()
      .onSuccess(held -> {
        if (!held) {
          lost();
        }
      })
      .onFailure(e -> LOG.warn("machine id {} lease not renewed: {}; ids stop when the lease ends unless a renewal succeeds",
        machineId(), e.getMessage())));
  }

  /**
   * Records a ceiling one lease ahead, then lets the generator use it for one lease, timed from
   * before the write (so it ends before the database's expiry); false = another owner has the row.
   */
  private Future<Boolean> renew() {
    long started = nanoTime.getAsLong();
    long ceiling = Math.max(ids.lastTimeUnit(), ids.clockUnit()) + leaseSeconds * 100L;
    renewing = rows.renew(pool, machineId(), owner.id(), leaseSeconds, ceiling).map(recorded -> {
      recorded.ifPresent(c -> ids.allow(c, started + TimeUnit.SECONDS.toNanos(leaseSeconds)));
      return recorded.isPresent();
    });
    return renewing;
  }

  /** The clock reached the recorded ceiling (it stepped forward): raise it now rather than at the next tick. */
  private void renewEarly() {
    if (renewing.isComplete() && timer >= 0) {
      renew().onSuccess(held -> {
        if (!held) {
          lost();
        }
      });
    }
  }

  private void lost() {
    if (vertx.cancelTimer(timer)) {
      ids.stop("machine id lease lost");
      LOG.error("machine id {} lease lost: another instance holds it now; this instance creates no more ids (503) until restarted",
        machineId());
    }
  }
}
