package dev.mfaservice.support;

import dev.mfaservice.app.DatabaseAddress;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * The PostgreSQL server of the test run: the one named by MFA_TEST_DATABASE_URL, else one
 * embedded server started once per JVM. Each test class asks for a database of its own. With
 * {@code -Dmfa.test.pgbouncer=true} the databases handed out are reached through PgBouncer in
 * transaction pooling mode ({@link PgBouncer}); they are still created and dropped on the server.
 */
public final class TestDatabases {
  private static DatabaseAddress server;
  private static PgBouncer bouncer;

  private TestDatabases() {
  }

  /** A new database for {@code owner}: on the server, or through PgBouncer in the pgbouncer run. */
  public static synchronized DatabaseAddress freshDatabase(String owner) {
    DatabaseAddress db = freshServerDatabase(owner);
    return PgBouncer.requested() ? throughPgBouncer(db) : db;
  }

  /** A new database on the server itself, whatever the run. */
  public static synchronized DatabaseAddress freshServerDatabase(String owner) {
    DatabaseAddress base = server();
    String name = ("mfa_" + owner.replaceAll("[^A-Za-z0-9]", "_") + "_"
      + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    execute(base, "create database " + name);
    return base.withDatabase(name);
  }

  /** {@code db} (on the server) as reached through this run's PgBouncer, started on first use. */
  public static synchronized DatabaseAddress throughPgBouncer(DatabaseAddress db) {
    if (bouncer == null) {
      bouncer = PgBouncer.start(server());
    }
    return bouncer.front(db);
  }

  /** Drops a database made by {@link #freshDatabase}, so a shared server does not fill up with them. */
  public static synchronized void drop(DatabaseAddress db) {
    execute(server(), "drop database if exists " + db.database() + " with (force)");
  }

  /** Runs one statement over JDBC: for tests that look at rows the way an operator would. */
  public static void execute(DatabaseAddress db, String sql) {
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The one number a query like {@code select count(*) ...} gives. */
  public static long count(DatabaseAddress db, String sql) {
    try (Connection c = connect(db); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The first column of every row a query gives, as text, in its order. */
  public static java.util.List<String> strings(DatabaseAddress db, String sql) {
    try (Connection c = connect(db); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
      java.util.List<String> values = new java.util.ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public static Connection connect(DatabaseAddress db) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", db.user());
    props.setProperty("password", db.password());
    return DriverManager.getConnection(db.jdbcUrl(), props);
  }

  private static DatabaseAddress server() {
    if (server == null) {
      String url = System.getenv("MFA_TEST_DATABASE_URL");
      server = url != null && !url.isBlank() ? DatabaseAddress.fromUrl(URI.create(url)) : startEmbedded();
    }
    return server;
  }

  private static DatabaseAddress startEmbedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (Exception ignored) {
          // the JVM is ending anyway
        }
      }));
      return new DatabaseAddress("127.0.0.1", pg.getPort(), "postgres", "postgres", "");
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL for tests", e);
    }
  }
}
