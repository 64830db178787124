package dev.mfaservice.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.app.DatabaseAddress;
import dev.mfaservice.app.Migrations;
import dev.mfaservice.support.TestDatabases;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An existing database moves to the partitioned events table (V19) with every event as it was (position and all), in
 * the first partition; each aggregate's head is its newest sequence; new events number on after the old ones and a
 * sequence taken before the upgrade is still refused; the table is still append-only.
 */
class EventsMigrationTest {
  private final DatabaseAddress db = TestDatabases.freshDatabase("events_migration");

  @AfterEach
  void drop() {
    TestDatabases.drop(db);
  }

  @Test
  void eventsWrittenBeforeTheUpgradeStayAndKeepTheirAggregatesSequences() {
    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
      .target("18").load().migrate();
    TestDatabases.execute(db, """
      insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
      select 'user', 'u' || (g % 100), g / 100 + 1, 'user.changed', jsonb_build_object('n', g), 'c', 'o',
             now() - interval '400 days' + g * interval '1 hour'
      from generate_series(0, 9999) g;
      insert into orgs values ('o', 'org', 1, now(), now());
      """);
    String before = digest();

    Migrations.migrate(db);

    assertEquals(before, digest(), "every event as it was");
    assertEquals(10_000, TestDatabases.count(db, "select count(*) from events_legacy"));
    assertEquals(100, TestDatabases.count(db, "select count(*) from event_heads where sequence = 100"));
    assertTrue(TestDatabases.count(db, "select count(*) from event_partitions") >= 4, "the first partition and 3 ahead");
    TestDatabases.execute(db, "insert into events (aggregate_type, aggregate_id, sequence, event_type, creator, "
      + "resource_owner, created_at) values ('user', 'u7', 101, 'user.changed', 'c', 'o', now())");
    assertEquals(10_001, TestDatabases.count(db, "select position from events where sequence = 101"), "after the old ones");
    assertRefused("insert into events (aggregate_type, aggregate_id, sequence, event_type, creator, resource_owner, "
      + "created_at) values ('user', 'u8', 42, 'user.changed', 'c', 'o', now())", "events_aggregate_sequence_key");
    assertRefused("update events set creator = 'x' where aggregate_id = 'u1'", "append-only");
    assertRefused("delete from events_legacy where aggregate_id = 'u1'", "append-only");
  }

  private String digest() {
    return TestDatabases.strings(db, "select md5(string_agg(concat_ws('|', position, aggregate_type, aggregate_id, "
      + "sequence, event_type, payload, creator, resource_owner, created_at), ',' order by position)) from events").get(0);
  }

  private void assertRefused(String sql, String because) {
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
      () -> TestDatabases.execute(db, sql));
    assertTrue(e.getMessage().contains(because), e.getMessage());
  }
}
