package dev.mfaservice.app;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Brings the schema up to date with Flyway over JDBC, before anything serves. Blocking: Main's thread only. */
public final class Migrations {
  private Migrations() {
  }

  public static int migrate(DatabaseAddress db) {
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
}
