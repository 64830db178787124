package dev.mfaservice.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
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

class IdGeneratorTest {

  @Test
  void idsAreUniqueAndIncreasingPerThreadUnderConcurrency() throws Exception {
    IdGenerator ids = new IdGenerator(Clock.systemUTC(), 7);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<long[]>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(() -> {
          long[] got = new long[20_000];
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
      assertEquals(8 * 20_000, all.size());
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
  void aClockThatGoesBackNeverRepeatsAnId() {
    AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public long millis() { return millis.get(); }
      @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
    };
    IdGenerator ids = new IdGenerator(clock, 1);
    long before = 0;
    for (int i = 0; i < 1000; i++) {
      if (i % 100 == 99) {
        millis.addAndGet(-5_000);
      }
      long id = ids.nextLong();
      assertTrue(id > before);
      before = id;
    }
  }

  @Test
  void machineIdMustFit16Bits() {
    assertThrows(IllegalArgumentException.class, () -> new IdGenerator(Clock.systemUTC(), 1 << 16));
    assertThrows(IllegalArgumentException.class, () -> new IdGenerator(Clock.systemUTC(), -1));
  }
}
