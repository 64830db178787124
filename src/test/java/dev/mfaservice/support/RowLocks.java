package dev.mfaservice.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Rows held locked from a test's own connection, and the service's backends seen waiting for them. */
public final class RowLocks {
  private RowLocks() {
  }

  /** Runs {@code sql} on {@code c}, {@code value} bound to each of its parameters. */
  public static void execute(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 1; i <= s.getParameterMetaData().getParameterCount(); i++) {
        s.setString(i, value);
      }
      s.execute();
    }
  }

  /** Backends of the connection's database waiting for a lock. */
  public static long waiting(Connection probe) {
    try (PreparedStatement s = probe.prepareStatement(
      "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
         var rows = s.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
