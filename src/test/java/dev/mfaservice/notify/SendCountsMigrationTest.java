package dev.mfaservice.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.app.DatabaseAddress;
import dev.mfaservice.app.Migrations;
import dev.mfaservice.support.TestDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade to counted send limits (V22) keeps the last hour's sends: the outbox rows of the last hour become counts
 * under their wide keys (notices and older rows do not), so the limits are as full after the upgrade as before it; and
 * every code's outbox row inserted after it is counted, whichever release inserted it.
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
    assertEquals(List.of("t"), TestDatabases.strings(db, "select bool_and(minute = date_trunc('minute', last_at)"
      + " and last_at > now() - interval '51 minutes' and shard between 0 and 3) from send_counts"),
      "each minute's row with its newest send's time");

    // and from now on the database counts each code's outbox row at commit, notices not
    TestDatabases.execute(db, """
      insert into outbox (id, channel, user_id, org_id, recipient, template, language, next_attempt_at, expires_at,
                          created_at, caller_id, country_code)
      values ('sms3', 'sms', 'u', 'o', '+41791230004', 'otp', 'en', now(), now(), now(), 'app', 41),
             ('notice2', 'email', 'u', 'o', 'a@acme.test', 'notice_factor_added', 'en', now(), now(), now(), 'app', null)
      """);
    assertEquals(List.of("caller app 4", "country 41 3"), TestDatabases.strings(db, "select kind || ' ' || key || ' '"
      + " || sum(hits) from send_counts where kind in ('caller', 'country') group by kind, key order by 1"));
  }

  @Test
  void aSendsCountRowsAreLockedOnlyFromItsCommitOn() throws Exception {
    Migrations.migrate(db);
    TestDatabases.execute(db, """
      insert into orgs values ('o', 'org', 1, now(), now());
      insert into users (id, org_id, username, given_name, family_name, display_name, state, sequence, created_at, changed_at)
        values ('u', 'o', 'u', 'g', 'f', 'd', 'active', 1, now(), now());
      """);
    String send = "insert into outbox (id, channel, user_id, org_id, recipient, template, language, next_attempt_at, "
      + "expires_at, created_at, caller_id, country_code, recipient_prefix) values (?, 'sms', 'u', 'o', ?, 'otp', 'en', "
      + "now(), now(), now(), 'app', 41, '+4179123')";
    try (Connection first = TestDatabases.connect(db); Connection second = TestDatabases.connect(db)) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      insert(first, send, "s1", "+41791230001");
      // the same caller, country, prefix and user (so the same rows): an open send must not hold them
      try (Statement s = second.createStatement()) {
        s.execute("set local lock_timeout = '2s'");
      }
      insert(second, send, "s2", "+41791230002");
      second.commit();
      first.commit();
    }
    assertEquals(List.of("caller app 2", "country 41 2", "prefix +4179123 2"), TestDatabases.strings(db,
      "select kind || ' ' || key || ' ' || sum(hits) from send_counts group by kind, key order by 1"));
  }

  private static void insert(Connection c, String sql, String id, String recipient) throws Exception {
    try (java.sql.PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, id);
      s.setString(2, recipient);
      s.executeUpdate();
    }
  }
}
