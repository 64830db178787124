package dev.mfaservice.support;

import dev.mfaservice.app.DatabaseAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The number of rows in the main tables, read over one kept connection, so that a fuzz test can
 * tell after each refused request that nothing changed. Events the outbox worker appends on its
 * own (notification sent/failed) are left out: they follow earlier successful calls, not refusals.
 * So is what a refused code must leave behind (SEC O7, O10): its failed-check event and, at the
 * limit, the lock and its notice to the user.
 */
public final class RowCounts implements AutoCloseable {
  private static final String SNAPSHOT = """
    select concat_ws(' ', 'events=' || (select count(*) from events where aggregate_type <> 'notification'
        and event_type not in ('user.human.mfa.check.failed', 'user.human.recoverycodes.check.failed', 'user.locked')),
      'users=' || (select count(*) from users), 'orgs=' || (select count(*) from orgs),
      'outbox=' || (select count(*) from outbox where template not like 'notice\\_%'),
      'sessions=' || (select count(*) from sessions),
      'totp=' || (select count(*) from totp_factors), 'otp=' || (select count(*) from otp_authenticators),
      'codes=' || (select count(*) from verification_codes),
      'recovery=' || (select count(*) from recovery_codes), 'spent=' || (select count(*) from recovery_codes where used_at is not null))""";
  private final Connection connection;

  public RowCounts(DatabaseAddress database) {
    try {
      this.connection = TestDatabases.connect(database);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** e.g. {@code events=12 users=3 orgs=2 outbox=0 sessions=0 …} */
  public String snapshot() {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(SNAPSHOT)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
