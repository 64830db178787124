package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.app.Migrations;
import dev.mfaservice.app.DatabaseAddress;
import dev.mfaservice.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lookups of a verification by To (a create's pending one, a check's pending or out-of-checks one) read the partial
 * index, not the table, on a table of many verifications: in the plan PostgreSQL makes for every call (generic) and in a
 * custom one. On the index of V15 and a status parameter, the check's lookup was a sequential scan.
 */
class VerificationQueryPlanTest {

  @ParameterizedTest
  @ValueSource(strings = {"force_generic_plan", "force_custom_plan"})
  void aLookupByToReadsTheIndex(String planMode) throws Exception {
    DatabaseAddress db = TestDatabases.freshDatabase("VerificationQueryPlanTest");
    try {
      Migrations.migrate(db, Duration.ofSeconds(30));
      TestDatabases.execute(db, """
        insert into orgs (id, name, sequence, created_at, changed_at) values ('o1', 'Plan Org', 1, now(), now());
        insert into verify_verifications (sid, org_id, service_sid, account_sid, to_address, channel, status,
          failed_checks, attempts, expires_at, sequence, created_at, updated_at)
        select 'VE' || lpad(to_hex(i), 32, '0'), 'o1', 'VA' || lpad(to_hex(i % 5), 32, '0'), 'AC1', '+4179' || i, 'sms',
          case when i % 10 = 0 then 'pending' else 'approved' end, 0, '[]', now(), 1, now(), now()
        from generate_series(1, 100000) i;
        analyze verify_verifications;
        """);
      for (String sql : List.of(VerificationRepository.PENDING_TO, VerificationRepository.LIVE_TO)) {
        String plan = plan(db, planMode, sql);
        assertTrue(plan.contains("verify_verifications_live_to_idx"), plan);
        assertFalse(plan.contains("Seq Scan"), plan);
      }
    } finally {
      TestDatabases.drop(db);
    }
  }

  private static String plan(DatabaseAddress db, String planMode, String sql) throws Exception {
    List<String> lines = new ArrayList<>();
    // one transaction: behind PgBouncer's transaction pooling, one server connection for the setting, the statement
    // and its plan; the statement deallocated before the connection goes back
    try (Connection c = TestDatabases.connect(db); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("set local plan_cache_mode = " + planMode);
      s.execute("prepare lookup (text, text, text) as " + sql);
      try (ResultSet rs = s.executeQuery("explain execute lookup ('o1', 'VA" + "0".repeat(31) + "1', '+417911')")) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
      s.execute("deallocate lookup");
      c.rollback();
    }
    return String.join("\n", lines);
  }
}
