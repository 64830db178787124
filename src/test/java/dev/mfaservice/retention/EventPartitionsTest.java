package dev.mfaservice.retention;

import static dev.mfaservice.retention.RetentionFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.support.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Partitions of events are made ahead of time; those past the events period leave by DETACH, kept as tables to archive
 * or dropped; an aggregate whose old events left keeps its sequence: its next event is numbered after them, and a
 * writer that appends a number already used is refused as before.
 */
class EventPartitionsTest {
  private final RetentionFixture f = new RetentionFixture("event_partitions");
  private final EventStore store = new EventStore(f.clock);

  @AfterEach
  void drop() throws Exception {
    f.close();
  }

  @Test
  void partitionsAreCreatedAheadAndEventsLandInThem() throws Exception {
    RetentionSettings daily = RetentionFixture.settings("MFA_RETENTION_EVENTS_PARTITION", "day",
      "MFA_RETENTION_EVENTS_PARTITIONS_AHEAD", "5");
    f.clock.advance(Duration.ofDays(130)); // past the partitions the migration made (this month and three more)

    SweepReport report = await(f.sweep(daily).run());

    assertTrue(report.partitionsCreated() > 5, report.toString());
    assertEquals(1, f.count("select count(*) from event_partitions where upper_bound >= now() + interval '135 days'"
      + " and upper_bound < now() + interval '136 days'"), "the newest ends 5 to 6 days ahead of the clock");
    assertEquals(0, f.count("select count(*) from event_partitions where upper_bound >= now() + interval '136 days'"));
    assertEquals(0, await(f.sweep(daily).run()).partitionsCreated(), "nothing more to make");
    f.clock.advance(Duration.ofDays(4));
    append("webauthn_key", "k", 0);
    List<String> where = TestDatabases.strings(f.db, "select tableoid::regclass::text from events");
    assertEquals(1, where.size());
    assertTrue(where.get(0).startsWith("events_p"), where.toString());
    assertEquals(0, f.count("select count(*) from events_legacy"));
  }

  @Test
  void partitionsPastTheEventsPeriodAreDetachedAndAggregatesKeepTheirSequence() throws Exception {
    RetentionSettings daily = RetentionFixture.settings("MFA_RETENTION_EVENTS_PARTITION", "day",
      "MFA_RETENTION_EVENTS_SECONDS", "86400");
    append("webauthn_key", "k", 0); // in events_legacy, which ends at the next month's start
    append("webauthn_key", "k", 1);
    f.clock.advance(Duration.ofDays(40));

    SweepReport report = await(f.sweep(daily).run());

    assertTrue(report.detached().contains("events_legacy"), report.toString());
    assertEquals(0, f.count("select count(*) from event_partitions where name = 'events_legacy'"));
    assertEquals(0, f.count("select count(*) from events where aggregate_id = 'k'"));
    assertEquals(2, f.count("select count(*) from events_legacy where aggregate_id = 'k'"), "kept, to be archived");
    Long sequence = await(f.pool.withConnection(c -> store.currentSequence(c, "webauthn_key", "k")));
    assertEquals(2L, sequence, "from its head");
    ApiError taken = assertInstanceOf(ApiError.class, assertThrows(Exception.class, () -> append("webauthn_key", "k", 1))
      .getCause());
    assertEquals(GrpcCode.ABORTED, taken.code());
    append("webauthn_key", "k", 2);
    assertEquals(List.of("3"), TestDatabases.strings(f.db, "select sequence from events where aggregate_id = 'k'"));
  }

  @Test
  void withDropTheDetachedPartitionsGo() throws Exception {
    RetentionSettings dropping = RetentionFixture.settings("MFA_RETENTION_EVENTS_PARTITION", "day",
      "MFA_RETENTION_EVENTS_SECONDS", "86400", "MFA_RETENTION_EVENTS_DETACHED", "drop");
    append("org", "o", 0);
    f.clock.advance(Duration.ofDays(40));

    assertTrue(await(f.sweep(dropping).run()).detached().contains("events_legacy"));

    assertEquals(0, f.count("select count(*) from pg_class where relname = 'events_legacy'"));
    assertEquals(1, f.count("select sequence from event_heads where aggregate_id = 'o'"));
  }

  private void append(String type, String id, long expected) throws Exception {
    await(f.pool.withTransaction(tx -> store.append(tx, new NewEvent(type, id, type + ".changed", new JsonObject(),
      "tester", "o"), expected)));
  }
}
