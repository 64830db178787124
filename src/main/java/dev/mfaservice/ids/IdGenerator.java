package dev.mfaservice.ids;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sonyflake-style ids as ZITADEL's: 39 bits of time in 10 ms units since 2019-04-29, 8 bits of
 * sequence within that unit, 16 bits of machine id; rendered as decimal strings (18 digits
 * today). Unique and increasing per generator, also under concurrent callers: the whole state
 * is one {@code long} advanced by compare-and-set.
 */
public final class IdGenerator {
  static final long EPOCH_MILLIS = Instant.parse("2019-04-29T00:00:00Z").toEpochMilli();
  private static final int SEQUENCE_BITS = 8;
  private static final int MACHINE_BITS = 16;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

  private final Clock clock;
  private final long machineId;
  /** (elapsed time units << 8) | sequence of the last id handed out. */
  private final AtomicLong last = new AtomicLong();

  public IdGenerator(Clock clock, int machineId) {
    if (machineId < 0 || machineId >= (1 << MACHINE_BITS)) {
      throw new IllegalArgumentException("machine id must fit 16 bits");
    }
    this.clock = clock;
    this.machineId = machineId;
  }

  public String next() {
    return Long.toString(nextLong());
  }

  public long nextLong() {
    while (true) {
      long previous = last.get();
      long now = elapsedUnits() << SEQUENCE_BITS;
      // Same unit (or a clock that went back): take the next sequence number, which may roll
      // into the next time unit; ids stay increasing either way.
      long candidate = now > previous ? now : previous + 1;
      if (last.compareAndSet(previous, candidate)) {
        return (candidate >>> SEQUENCE_BITS) << (SEQUENCE_BITS + MACHINE_BITS)
          | (candidate & SEQUENCE_MASK) << MACHINE_BITS
          | machineId;
      }
    }
  }

  private long elapsedUnits() {
    return (clock.millis() - EPOCH_MILLIS) / 10;
  }
}
