package dev.mfaservice.retention;

import static dev.mfaservice.retention.RetentionFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each kind of dead row leaves once it has been dead longer than its period, not before; live rows and the heads of
 * live aggregates stay; the job runs on one instance at a time (its lock, held elsewhere, makes a pass yield).
 */
class DeadRowsTest {
  /** Periods of an hour; batches of two rows, so that a pass takes several. */
  private static final RetentionSettings HOUR = RetentionFixture.settings("MFA_RETENTION_BATCH_SIZE", "2",
    "MFA_RETENTION_SESSIONS_SECONDS", "3600", "MFA_RETENTION_CODES_SECONDS", "3600",
    "MFA_RETENTION_WEBAUTHN_CHALLENGES_SECONDS", "3600", "MFA_RETENTION_OUTBOX_SECONDS", "3600",
    "MFA_RETENTION_VERIFICATIONS_SECONDS", "3600");
  private RetentionFixture f;

  @BeforeEach
  void rows() {
    f = new RetentionFixture("dead_rows");
    f.execute("""
      insert into orgs values ('o', 'org', 1, now(), now());
      insert into users (id, org_id, username, given_name, family_name, display_name, state, sequence, created_at, changed_at)
        values ('u', 'o', 'u', 'g', 'f', 'd', 'active', 1, now(), now());
      """);
    // for each kind: dead 2 hours (x3, to need two batches), dead 30 minutes, alive; and one that never expires
    for (String[] r : new String[][] {{"old1", "-2 hours"}, {"old2", "-2 hours"}, {"old3", "-2 hours"},
        {"recent", "-30 minutes"}, {"live", "+10 minutes"}}) {
      String at = "now() + interval '" + r[1] + "'";
      f.execute(("insert into sessions (id, creator, token_hash, token_key_id, user_id, sequence, created_at, changed_at, "
        + "expires_at) values ('%1$s', 'c', '\\x00', 'k', 'u', 1, now(), now(), %2$s);"
        + "insert into event_heads values ('session', '%1$s', 1), ('notification', '%1$s', 2), ('verify.verification', '%1$s', 1);"
        + "insert into verification_codes (id, user_id, purpose, target_id, address, code_hash, hash_key_id, expires_at, "
        + "created_at) values ('%1$s', 'u', 'login', 't', 'a', '\\x00', 'k', %2$s, now());"
        + "insert into webauthn_challenges values ('login', '%1$s', 'u', '\\x00', 'rp', 'preferred', %2$s);"
        + "insert into outbox (id, channel, user_id, org_id, recipient, template, language, status, next_attempt_at, "
        + "expires_at, created_at) values ('%1$s', 'sms', 'u', 'o', 'r', 't', 'en', 'sent', now(), now(), %2$s);"
        + "insert into verify_verifications (sid, org_id, service_sid, account_sid, to_address, channel, status, "
        + "failed_checks, attempts, expires_at, sequence, created_at, updated_at) values ('%1$s', 'o', 'VA', 'AC', 'to', "
        + "'sms', 'pending', 0, '[]', %2$s, 1, now(), now());").formatted(r[0], at));
    }
    f.execute("""
      insert into sessions (id, creator, token_hash, token_key_id, sequence, created_at, changed_at)
        values ('forever', 'c', '\\x00', 'k', 1, now() - interval '1 year', now() - interval '1 year');
      insert into outbox (id, channel, user_id, org_id, recipient, template, language, status, next_attempt_at, expires_at,
        created_at) values ('pending', 'sms', 'u', 'o', 'r', 't', 'en', 'pending', now(), now(), now() - interval '2 hours');
      insert into event_heads values ('user', 'u', 1), ('org', 'o', 1);
      """);
  }

  @AfterEach
  void drop() throws Exception {
    f.close();
  }

  @Test
  void rowsDeadLongerThanTheirPeriodAreDeletedInBatchesOthersStay() throws Exception {
    SweepReport report = await(f.sweep(HOUR).run());

    assertFalse(report.yielded());
    assertEquals(Map.of("sessions", 3L, "verification_codes", 3L, "webauthn_challenges", 3L, "outbox", 3L,
      "verify_verifications", 3L, "verify_challenges", 0L, "verify_rate_limit_counts", 0L,
      "send_counts", 0L), report.deleted());
    for (String table : List.of("verification_codes", "webauthn_challenges", "verify_verifications")) {
      String id = table.equals("verify_verifications") ? "sid" : table.equals("webauthn_challenges") ? "subject_id" : "id";
      assertEquals(List.of("live", "recent"), ids("select " + id + " from " + table + " order by 1"), table);
    }
    assertEquals(List.of("forever", "live", "recent"), ids("select id from sessions order by 1"));
    assertEquals(List.of("live", "pending", "recent"), ids("select id from outbox order by 1"));
    // the heads of deleted sessions, messages and verifications went with them; the others' stayed
    assertEquals(List.of("notification/live", "notification/recent", "org/o", "session/live", "session/recent", "user/u",
      "verify.verification/live", "verify.verification/recent"),
      ids("select aggregate_type || '/' || aggregate_id from event_heads order by 1"));

    f.clock.advance(java.time.Duration.ofMinutes(45));
    assertEquals(1L, await(f.sweep(HOUR).run()).deleted().get("sessions"), "the recent one, dead 75 minutes now");
    assertEquals(List.of("forever", "live"), ids("select id from sessions order by 1"));
  }

  @Test
  void verifyTotpChallengesAndPassedRateLimitWindowsGoToo() throws Exception {
    f.execute("""
      insert into verify_services values ('VA', 'o', 'AC', 'Shop', 6, false, false, false, false, false, null, 30, 6, 1, 1,
        now(), now());
      insert into verify_entities values ('YE', 'o', 'VA', 'AC', 'ada-00000001', 1, now(), now());
      insert into verify_factors (sid, entity_sid, friendly_name, factor_type, status, secret_sealed, algorithm, digits,
        time_step, skew, sequence, created_at, updated_at) values ('YF', 'YE', 'phone', 'totp', 'verified', '\\x00',
        'sha1', 6, 30, 1, 1, now(), now());
      insert into verify_challenges (sid, entity_sid, factor_sid, status, expires_at, sequence, created_at, updated_at)
        values ('YC-old', 'YE', 'YF', 'expired', now() - interval '2 hours', 1, now(), now()),
               ('YC-live', 'YE', 'YF', 'pending', now() + interval '5 minutes', 1, now(), now());
      insert into event_heads values ('verify.challenge', 'YC-old', 1), ('verify.challenge', 'YC-live', 1);
      insert into verify_rate_limits values ('RK', 'o', 'VA', 'AC', 'ip', null, 1, now(), now());
      insert into verify_rate_limit_buckets values ('BL', 'RK', 3, 60, 1, now(), now());
      insert into verify_rate_limit_counts values ('BL', '\\x01', now() - interval '2 minutes', 3, now() - interval '1 minute'),
        ('BL', '\\x02', now(), 1, now() + interval '1 minute');
      """);

    SweepReport report = await(f.sweep(HOUR).run());

    assertEquals(1L, report.deleted().get("verify_challenges"));
    assertEquals(1L, report.deleted().get("verify_rate_limit_counts"));
    assertEquals(List.of("YC-live"), ids("select sid from verify_challenges"));
    assertEquals(List.of("\\x02"), ids("select value_hash::text from verify_rate_limit_counts"));
    assertEquals(List.of("YC-live"), ids("select aggregate_id from event_heads where aggregate_type = 'verify.challenge'"));
  }

  @Test
  void sendCountsOfMinutesNoLimitReadsAnyMoreGo() throws Exception {
    // a limit reads minutes whose newest send is within the hour: 61 minutes; kept 65 (instances' clocks may differ)
    f.execute("""
      insert into send_counts values ('country', '41', date_trunc('minute', now()) - interval '70 minutes', 0, 5, now() - interval '70 minutes'),
        ('country', '41', date_trunc('minute', now()) - interval '62 minutes', 0, 4, now() - interval '62 minutes'),
        ('country', '41', date_trunc('minute', now()) - interval '60 minutes', 1, 3, now() - interval '59 minutes 30 seconds'),
        ('caller', 'c', date_trunc('minute', now()), 3, 1, now());
      """);

    assertEquals(1L, await(f.sweep(HOUR).run()).deleted().get("send_counts"));
    assertEquals(List.of("4", "3", "1"), ids("select hits::text from send_counts order by minute"));
  }

  @Test
  void whileAnotherInstanceHoldsTheJobsLockAPassDeletesNothing() throws Exception {
    try (Connection other = f.connection(); Statement s = other.createStatement()) {
      other.setAutoCommit(false);
      s.execute("select pg_advisory_xact_lock(" + RetentionSweep.LOCK_KEY + ")");

      SweepReport report = await(f.sweep(HOUR).run());

      assertTrue(report.yielded());
      assertEquals(Map.of(), report.deleted());
      assertEquals(6, f.count("select count(*) from sessions"));
      other.commit();
    }
    assertEquals(3L, await(f.sweep(HOUR).run()).deleted().get("sessions"));
  }

  @Test
  void twoInstancesSweepingAtOnceDeleteEachDeadRowOnce() throws Exception {
    var both = await(io.vertx.core.Future.all(f.sweep(HOUR).run(), f.sweep(HOUR).run()));
    SweepReport a = both.resultAt(0);
    SweepReport b = both.resultAt(1);

    for (String table : List.of("sessions", "verification_codes", "webauthn_challenges", "outbox", "verify_verifications")) {
      assertEquals(3L, a.deleted().getOrDefault(table, 0L) + b.deleted().getOrDefault(table, 0L), table);
    }
    assertEquals(List.of("live", "pending", "recent"), ids("select id from outbox order by 1"));
  }

  private List<String> ids(String sql) {
    return dev.mfaservice.support.TestDatabases.strings(f.db, sql);
  }
}
