package dev.mfaservice.support;

import dev.mfaservice.app.DatabaseAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

  /**
   * Holds the user's row for update from a connection of its own, starts {@code call} on another thread, waits until
   * a backend waits for a lock (the call, for that row), then runs {@code change} in the holding transaction (the
   * user's id bound to each ?) and commits; returns what the call returned.
   */
  public static <T> T whileHeld(DatabaseAddress db, String user, String change, Callable<T> call) throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (Connection holder = TestDatabases.connect(db);
         Connection probe = TestDatabases.connect(db)) {
      holder.setAutoCommit(false);
      execute(holder, "select 1 from users where id = ? for update", user);
      Future<T> result = thread.submit(call);
      Await.until(() -> waiting(probe) >= 1, "the call waits for the user's row");
      execute(holder, change, user);
      holder.commit();
      return result.get(20, TimeUnit.SECONDS);
    } finally {
      thread.shutdownNow();
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
