package dev.mfaservice.ids;

import dev.mfaservice.errors.ApiError;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Sonyflake-style ids as ZITADEL's: 39 bits of time in 10 ms units since 2019-04-29, 8 bits of
 * sequence within that unit, 16 bits of machine id; rendered as decimal strings (18 digits
 * today). Unique and increasing per generator, also under concurrent callers: the whole state
 * is one {@code long} advanced by compare-and-set.
 *
 * <p>Across instances, uniqueness rests on the machine id lease ({@link MachineLease}): one live
 * generator per machine id. Across the owners of one machine id over time (a restart, a take-over
 * after a crash) and across clock steps, it rests on time units, and no clock has to be right:
 * <ul>
 * <li>a leased generator starts after its {@code floorUnit}, the last unit the previous owner may
 *   have used (recorded in the lease row), whatever this host's clock says;</li>
 * <li>it never uses a unit above the ceiling its lease has recorded in the database beforehand
 *   ({@link #allow}), so a successor that finds the lease expired starts safely after that ceiling;
 *   a clock that jumps past the ceiling is held at it (256 ids) while the lease raises it;</li>
 * <li>a clock that steps back is bridged by continuing the sequence of the last unit, at most
 *   {@value #MAX_AHEAD_UNITS} units (1 s) ahead of the clock; further behind, ids are refused
 *   (503, retryable) until the clock has caught up. A burst of more than 256 ids per 10 ms that
 *   has used up the run-ahead waits for the clock, 1 ms at a time.</li>
 * </ul>
 * Refusing instead of sleeping keeps event-loop threads from waiting on the clock for long; the
 * bounded run-ahead keeps small steps (NTP corrections, a few hundred ms) invisible to clients.
 */
public final class IdGenerator {
  static final long EPOCH_MILLIS = Instant.parse("2019-04-29T00:00:00Z").toEpochMilli();
  static final long MAX_AHEAD_UNITS = 100;
  private static final int SEQUENCE_BITS = 8;
  private static final int MACHINE_BITS = 16;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

  /** What the lease currently allows: units up to {@code ceilingUnit}, until {@code validUntilNanos} (monotonic). */
  private record Grant(long ceilingUnit, long validUntilNanos, boolean expires) {
  }

  private final Clock clock;
  private final long machineId;
  private final LongSupplier nanoTime;
  /** (elapsed time units << 8) | sequence of the last id handed out. */
  private final AtomicLong last;
  private final Runnable ceilingReached;
  private volatile Grant grant;
  private volatile String stopped;

  /** A generator without a lease (tests, tools): no floor, no ceiling, no end. */
  public IdGenerator(Clock clock, int machineId) {
    this(clock, machineId, -1, System::nanoTime, new Grant(Long.MAX_VALUE, 0, false), () -> { });
  }

  private IdGenerator(Clock clock, int machineId, long floorUnit, LongSupplier nanoTime, Grant grant, Runnable ceilingReached) {
    if (machineId < 0 || machineId >= (1 << MACHINE_BITS)) {
      throw new IllegalArgumentException("machine id must fit 16 bits");
    }
    this.clock = clock;
    this.machineId = machineId;
    this.nanoTime = nanoTime;
    this.grant = grant;
    this.ceilingReached = ceilingReached;
    this.last = new AtomicLong(floorUnit < 0 ? 0 : floorUnit << SEQUENCE_BITS | SEQUENCE_MASK);
  }

  /**
   * A generator for a leased machine id: ids only after {@code floorUnit}, none before the first
   * {@link #allow}; {@code ceilingReached} is called when the clock has reached the recorded ceiling.
   */
  static IdGenerator leased(Clock clock, int machineId, long floorUnit, LongSupplier nanoTime, Runnable ceilingReached) {
    return new IdGenerator(clock, machineId, floorUnit, nanoTime, new Grant(-1, 0, true), ceilingReached);
  }

  public String next() {
    return Long.toString(nextLong());
  }

  public long nextLong() {
    Grant g = grant;
    refuseWithoutLease(g);
    while (true) {
      long previous = last.get();
      long now = ceilingReached(clockUnit(), g);
      // Same unit (or a clock that went back): take the next sequence number, which may roll
      // into the next time unit; ids stay increasing either way.
      long candidate = now > previous >>> SEQUENCE_BITS ? now << SEQUENCE_BITS : previous + 1;
      long unit = candidate >>> SEQUENCE_BITS;
      if (unit > now + MAX_AHEAD_UNITS) {
        waitForTheClock(unit - now);
      } else if (unit > g.ceilingUnit()) {
        throw ApiError.unavailable("ID-leaseCeiling", "this instance's clock is ahead of its machine id lease; try again shortly");
      } else if (last.compareAndSet(previous, candidate)) {
        return unit << (SEQUENCE_BITS + MACHINE_BITS) | (candidate & SEQUENCE_MASK) << MACHINE_BITS | machineId;
      }
    }
  }

  /** A clock past the recorded ceiling (a forward step, a resume) is held at it, and the lease asked to raise it. */
  private long ceilingReached(long now, Grant g) {
    if (now < g.ceilingUnit()) {
      return now;
    }
    ceilingReached.run();
    return g.ceilingUnit();
  }

  /**
   * A burst over 25,600 ids/s that has used up the run-ahead (one unit past it at most) waits for
   * the clock 1 ms at a time: a rate limit, not a failure. Further ahead only a clock that stepped
   * back can be: refused at once.
   */
  private static void waitForTheClock(long aheadUnits) {
    if (aheadUnits > MAX_AHEAD_UNITS + 1) {
      throw ApiError.unavailable("ID-clockBehind", "this instance's clock is behind its last id; try again shortly");
    }
    LockSupport.parkNanos(1_000_000);
  }

  public int machineId() {
    return (int) machineId;
  }

  /** The lease was recorded up to {@code ceilingUnit} and holds until {@code validUntilNanos} ({@link System#nanoTime}). */
  void allow(long ceilingUnit, long validUntilNanos) {
    grant = new Grant(Math.max(ceilingUnit, grant.ceilingUnit()), validUntilNanos, true);
  }

  /** No more ids, for good: the lease was lost or released. */
  void stop(String reason) {
    stopped = reason;
  }

  /** The time unit of the last id handed out (or the floor). */
  long lastTimeUnit() {
    return last.get() >>> SEQUENCE_BITS;
  }

  long clockUnit() {
    return (clock.millis() - EPOCH_MILLIS) / 10;
  }

  /** Whether ids can be handed out now: the lease is held and confirmed (what readiness reports). */
  public boolean available() {
    return stopped == null && !unconfirmed(grant);
  }

  private boolean unconfirmed(Grant g) {
    return g.expires() && (g.ceilingUnit() < 0 || nanoTime.getAsLong() - g.validUntilNanos() > 0);
  }

  private void refuseWithoutLease(Grant g) {
    if (stopped != null) {
      throw ApiError.unavailable("ID-noLease", "this instance cannot create ids (" + stopped + "); use another instance");
    }
    if (unconfirmed(g)) {
      throw ApiError.unavailable("ID-leaseExpired", "this instance's machine id lease is not confirmed; try again shortly");
    }
  }
}
