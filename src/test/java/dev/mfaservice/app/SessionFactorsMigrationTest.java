package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade from the schema before V10 (a column per factor) keeps what live sessions proved: each set column
 * becomes {@code factors.<name>.verifiedAt} as GetSession shows it, unset ones are left out, and the columns go.
 */
class SessionFactorsMigrationTest {
  private final DatabaseAddress db = TestDatabases.freshDatabase("session_factors_migration");

  @AfterEach
  void drop() {
    TestDatabases.drop(db);
  }

  @Test
  void sessionsProvenBeforeTheUpgradeKeepTheirFactors() throws Exception {
    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration")
      .target("9").load().migrate();
    TestDatabases.execute(db, """
      insert into sessions (id, creator, token_hash, token_key_id, totp_verified_at, otp_email_verified_at, sequence,
                            created_at, changed_at)
      values ('s1', 'u', '\\x00', 'k', '2026-11-30 10:15:30.123+00', '2026-11-30 10:16:00+00', 2, now(), now()),
             ('s2', 'u', '\\x00', 'k', null, null, 1, now(), now())
      """);

    Migrations.migrate(db);

    assertEquals("{\"totp\": {\"verifiedAt\": \"2026-11-30T10:15:30.123Z\"}, "
      + "\"otpEmail\": {\"verifiedAt\": \"2026-11-30T10:16:00.000Z\"}}", factors("s1"));
    assertEquals("{}", factors("s2"));
    assertEquals(0, TestDatabases.count(db, "select count(*) from information_schema.columns where table_name = "
      + "'sessions' and column_name like '%\\_verified\\_at' and column_name <> 'user_verified_at'"));
  }

  private String factors(String id) throws Exception {
    try (Connection c = TestDatabases.connect(db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select factors::text from sessions where id = '" + id + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
