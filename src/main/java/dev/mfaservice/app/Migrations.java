package dev.mfaservice.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the schema up to date with Flyway over JDBC, before anything serves. Blocking: Main's thread only. */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  /** PostgreSQL's "the database system is starting up" / "shutting down" / "in recovery". */
  private static final String CANNOT_CONNECT_NOW = "57P03";

  private Migrations() {
  }

  public static int migrate(DatabaseAddress db) {
    return migrate(db, Duration.ZERO);
  }

  /**
   * Waits up to {@code wait} for a server that refuses connections or is still starting (SQLSTATE
   * class 08, 57P03), then migrates. A wrong password or database name fails at once.
   */
  public static int migrate(DatabaseAddress db, Duration wait) {
    awaitServer(db, wait);
    try {
      return Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .connectRetries(0)
        .load()
        .migrate()
        .migrationsExecuted;
    } catch (FlywayException e) {
      throw new StartupException("cannot migrate the database " + db.describe() + ": "
        + EmbeddedDatabase.rootMessage(e));
    }
  }

  private static void awaitServer(DatabaseAddress db, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    long logged = 0;
    while (System.nanoTime() < deadline) {
      Properties login = new Properties();
      login.setProperty("user", db.user());
      login.setProperty("password", db.password());
      try (Connection ignored = new org.postgresql.Driver().connect(db.jdbcUrl(), login)) {
        return;
      } catch (SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (!state.startsWith("08") && !state.equals(CANNOT_CONNECT_NOW)) {
          return; // not a matter of time: Flyway reports it
        }
        if (System.nanoTime() - logged > 10_000_000_000L) {
          LOG.info("waiting for the database {} (up to {} s, MFA_DATABASE_STARTUP_WAIT_SECONDS): {}", db.describe(),
            wait.toSeconds(), EmbeddedDatabase.rootMessage(e));
          logged = System.nanoTime();
        }
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupException("interrupted while waiting for the database " + db.describe());
      }
    }
  }
}
