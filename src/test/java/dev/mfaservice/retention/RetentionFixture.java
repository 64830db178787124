package dev.mfaservice.retention;

import dev.mfaservice.app.DatabaseAddress;
import dev.mfaservice.app.Migrations;
import dev.mfaservice.settings.Settings;
import dev.mfaservice.support.TestClock;
import dev.mfaservice.support.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A migrated database of its own, a Vert.x pool on it and a movable clock, for the retention tests. */
final class RetentionFixture implements AutoCloseable {
  final DatabaseAddress db;
  final Vertx vertx = Vertx.vertx();
  final Pool pool;
  final TestClock clock = new TestClock();

  RetentionFixture(String owner) {
    db = TestDatabases.freshDatabase(owner);
    Migrations.migrate(db);
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(db.connectOptions()).using(vertx).build();
  }

  /** The settings with these retention.* values (MFA_RETENTION_… names) over the defaults. */
  static RetentionSettings settings(String... nameValue) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      env.put(nameValue[i], nameValue[i + 1]);
    }
    return RetentionSettings.from(new Settings(env));
  }

  RetentionSweep sweep(RetentionSettings settings) {
    return new RetentionSweep(pool, settings, clock);
  }

  long count(String sql) {
    return TestDatabases.count(db, sql);
  }

  void execute(String sql) {
    TestDatabases.execute(db, sql);
  }

  java.sql.Connection connection() throws java.sql.SQLException {
    return TestDatabases.connect(db);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(pool.close());
    await(vertx.close());
    TestDatabases.drop(db);
  }
}
