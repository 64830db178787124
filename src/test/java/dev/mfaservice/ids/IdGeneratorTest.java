package dev.mfaservice.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.support.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Ids as the rest of the service relies on them: unique, increasing, and never repeated across clock steps or owners. */
class IdGeneratorTest {

  @Test
  void idsAreUniqueAndIncreasingPerThreadUnderConcurrency() throws Exception {
    IdGenerator ids = new IdGenerator(Clock.systemUTC(), 7);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<long[]>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(() -> {
          long[] got = new long[5_000];
          for (int i = 0; i < got.length; i++) {
            got[i] = ids.nextLong();
          }
          return got;
        });
      }
      Set<Long> all = new HashSet<>();
      for (Future<long[]> f : pool.invokeAll(tasks)) {
        long[] got = f.get();
        for (int i = 0; i < got.length; i++) {
          assertTrue(all.add(got[i]), "duplicate id " + got[i]);
          if (i > 0) {
            assertTrue(got[i] > got[i - 1], "not increasing within a thread");
          }
        }
      }
      assertEquals(8 * 5_000, all.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void layoutIsTimeSequenceMachineAndTodaysIdsHave18Digits() {
    Instant now = Instant.parse("2026-11-23T08:00:00Z");
    IdGenerator ids = new IdGenerator(Clock.fixed(now, ZoneOffset.UTC), 0xBEEF);
    long first = ids.nextLong();
    long second = ids.nextLong();
    assertEquals(0xBEEF, first & 0xFFFF, "machine id in the low 16 bits");
    assertEquals(0, (first >>> 16) & 0xFF, "sequence starts at 0");
    assertEquals(1, (second >>> 16) & 0xFF, "same 10 ms unit: next sequence");
    long units = (now.toEpochMilli() - Instant.parse("2019-04-29T00:00:00Z").toEpochMilli()) / 10;
    assertEquals(units, first >>> 24);
    assertEquals(18, Long.toString(first).length());
  }

  @Test
  void aClockThatStepsBackALittleIsBridgedWithoutRepeatingAnId() {
    TestClock clock = new TestClock();
    IdGenerator ids = new IdGenerator(clock, 1);
    long before = 0;
    for (int i = 0; i < 1000; i++) {
      if (i % 100 == 49) {
        clock.advance(Duration.ofMillis(-300));
      } else if (i % 100 == 99) {
        clock.advance(Duration.ofMillis(300));
      }
      long id = ids.nextLong();
      assertTrue(id > before);
      before = id;
    }
  }

  @Test
  void aClockFarBehindTheLastIdIsRefusedUntilItHasCaughtUp() {
    TestClock clock = new TestClock();
    IdGenerator ids = new IdGenerator(clock, 1);
    long before = ids.nextLong();
    clock.advance(Duration.ofSeconds(-5));
    assertUnavailable(ids, "ID-clockBehind");
    clock.advance(Duration.ofMillis(4_500));
    assertTrue(ids.nextLong() > before, "within 1 s of the last id: the sequence runs on");
    clock.advance(Duration.ofMillis(500));
    assertTrue(ids.nextLong() > before);
  }

  @Test
  void aNewOwnerOfTheMachineIdStartsAfterThePreviousOwnersLastTimeUnitWhateverItsClockSays() {
    TestClock ahead = new TestClock();
    ahead.advance(Duration.ofMillis(800));
    IdGenerator previous = new IdGenerator(ahead, 9);
    long lastOfPrevious = 0;
    for (int i = 0; i < 600; i++) {
      lastOfPrevious = previous.nextLong();
    }
    IdGenerator next = IdGenerator.leased(new TestClock(), 9, previous.lastTimeUnit(), System::nanoTime, () -> { });
    next.allow(Long.MAX_VALUE >>> 8, System.nanoTime() + 60_000_000_000L);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 600; i++) {
      long id = next.nextLong();
      assertTrue(id > lastOfPrevious, "a clock 800 ms behind does not repeat the previous owner's ids");
      assertTrue(seen.add(id));
    }

    TestClock farBehind = new TestClock();
    farBehind.advance(Duration.ofSeconds(-5));
    IdGenerator waiting = IdGenerator.leased(farBehind, 9, previous.lastTimeUnit(), System::nanoTime, () -> { });
    waiting.allow(Long.MAX_VALUE >>> 8, System.nanoTime() + 60_000_000_000L);
    assertUnavailable(waiting, "ID-clockBehind");
    farBehind.advance(Duration.ofSeconds(5));
    assertTrue(waiting.nextLong() > lastOfPrevious);
  }

  @Test
  void aLeasedGeneratorHandsOutIdsOnlyWithinItsLeaseAndBelowItsCeiling() {
    AtomicLong nanos = new AtomicLong();
    AtomicLong raiseRequests = new AtomicLong();
    TestClock clock = new TestClock();
    IdGenerator ids = IdGenerator.leased(clock, 3, -1, nanos::get, raiseRequests::incrementAndGet);
    assertUnavailable(ids, "ID-leaseExpired");
    long ceiling = ids.clockUnit() + 100;
    ids.allow(ceiling, 1_000);
    ids.nextLong();
    nanos.set(1_001);
    assertUnavailable(ids, "ID-leaseExpired");
    ids.allow(ceiling, 2_000);

    clock.advance(Duration.ofHours(2));
    long held = 0;
    for (int i = 0; i < 256; i++) {
      held = ids.nextLong();
      assertEquals(ceiling, held >>> 24, "a clock past the ceiling is held at it");
    }
    assertTrue(raiseRequests.get() > 0, "the lease is asked to raise the ceiling");
    assertUnavailable(ids, "ID-leaseCeiling");
    ids.allow(ids.clockUnit() + 100, 2_000);
    assertTrue(ids.nextLong() > held);
    ids.stop("machine id lease lost");
    assertUnavailable(ids, "ID-noLease");
  }

  private static void assertUnavailable(IdGenerator ids, String errorId) {
    ApiError e = assertThrows(ApiError.class, ids::nextLong);
    assertEquals(503, e.httpStatus());
    assertEquals(errorId, e.id());
  }

  @Test
  void machineIdMustFit16Bits() {
    assertThrows(IllegalArgumentException.class, () -> new IdGenerator(Clock.systemUTC(), 1 << 16));
    assertThrows(IllegalArgumentException.class, () -> new IdGenerator(Clock.systemUTC(), -1));
  }
}
