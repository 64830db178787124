package dev.mfaservice.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.app.DatabaseAddress;
import dev.mfaservice.app.Migrations;
import dev.mfaservice.support.TestDatabases;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade to counted send limits (V22) keeps the last hour's sends: the outbox rows of the last hour become counts
 * under their wide keys (notices and older rows do not), so the limits are as full after the upgrade as before it.
 */
class SendCountsMigrationTest {
  private final DatabaseAddress db = TestDatabases.freshDatabase("send_counts_migration");

  @AfterEach
  void drop() {
    TestDatabases.drop(db);
  }

  @Test
  void theLastHoursSendsAreCountedAfterTheUpgrade() {
    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
      .locations("classpath:db/migration").target("21").load().migrate();
    TestDatabases.execute(db, """
      insert into orgs values ('o', 'org', 1, now(), now());
      insert into users (id, org_id, username, given_name, family_name, display_name, state, sequence, created_at, changed_at)
        values ('u', 'o', 'u', 'g', 'f', 'd', 'active', 1, now(), now());
      insert into outbox (id, channel, user_id, org_id, recipient, template, language, status, next_attempt_at, expires_at,
                          created_at, caller_id, end_user_ip, recipient_prefix, country_code)
      values ('sms1', 'sms', 'u', 'o', '+41791230001', 'otp', 'en', 'sent', now(), now(), now() - interval '5 minutes',
              'app', '203.0.113.1', '+4179123', 41),
             ('sms2', 'sms', 'u', 'o', '+41791230002', 'otp', 'en', 'pending', now(), now(), now() - interval '50 minutes',
              'app', null, '+4179123', 41),
             ('mail', 'email', 'u', 'o', 'a@acme.test', 'otp', 'en', 'sent', now(), now(), now() - interval '5 minutes',
              'app', '203.0.113.1', null, null),
             ('old', 'sms', 'u', 'o', '+41791230003', 'otp', 'en', 'sent', now(), now(), now() - interval '3 hours',
              'app', null, '+4179123', 41),
             ('notice', 'email', 'u', 'o', 'a@acme.test', 'notice_factor_added', 'en', 'sent', now(), now(), now(),
              'app', null, null, null);
      """);

    Migrations.migrate(db);

    assertEquals(List.of("caller app 3", "country 41 2", "ip 203.0.113.1 2", "prefix +4179123 2"),
      TestDatabases.strings(db, "select kind || ' ' || key || ' ' || sum(hits) from send_counts group by kind, key order by 1"));
    assertEquals(0, TestDatabases.count(db, "select count(*) from pg_indexes where indexname in ('outbox_prefix_idx', "
      + "'outbox_country_idx', 'outbox_caller_idx', 'outbox_ip_idx')"), "the outbox's indexes for the wide keys are gone");
  }
}
