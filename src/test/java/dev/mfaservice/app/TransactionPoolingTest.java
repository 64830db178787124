package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through PgBouncer in transaction pooling mode, what MFA_DATABASE_TRANSACTION_POOLING changes: with
 * it, many client connections share few server connections and every statement works; without it,
 * a second client's cached statement name meets the first one's on a shared server connection.
 */
class TransactionPoolingTest {
  static Vertx vertx;
  static DatabaseAddress direct;
  static DatabaseAddress pooled;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    direct = TestDatabases.freshServerDatabase(TransactionPoolingTest.class.getSimpleName());
    pooled = TestDatabases.throughPgBouncer(direct);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    TestDatabases.drop(direct);
  }

  @Test
  void withTheSettingManyClientsShareServerConnectionsAndEveryStatementRuns() throws Exception {
    assertTrue(pooled.transactionPooler());
    List<Pool> clients = new ArrayList<>();
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Pool pool = pool(pooled);
      clients.add(pool);
      for (int n = 0; n < 25; n++) {
        int value = i * 100 + n;
        runs.add(pool.withTransaction(tx -> tx.preparedQuery("select $1::int + 1").execute(Tuple.of(value))
          .compose(first -> tx.preparedQuery("select $1::int * 2").execute(Tuple.of(value)))
          .map(rows -> assertTwice(value, rows.iterator().next().getInteger(0)))));
        runs.add(pool.preparedQuery("select $1::int * 2").execute(Tuple.of(value))
          .map(rows -> assertTwice(value, rows.iterator().next().getInteger(0))));
      }
    }
    Future.all(runs).await(30, TimeUnit.SECONDS);
    assertEquals(400, runs.stream().filter(Future::succeeded).count());
    for (Pool pool : clients) {
      pool.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutItASecondClientsCachedStatementCollidesOnTheSharedServerConnection() throws Exception {
    DatabaseAddress unaware = pooled.withTransactionPooler(false);
    Pool first = pool(unaware);
    Pool second = pool(unaware);
    try {
      first.preparedQuery("select $1::int").execute(Tuple.of(1)).await(10, TimeUnit.SECONDS);
      PgException collision = (PgException) second.preparedQuery("select $1::int").execute(Tuple.of(2))
        .transform(done -> done.failed() ? Future.succeededFuture(done.cause()) : Future.succeededFuture(null))
        .await(10, TimeUnit.SECONDS);
      assertEquals("42P05", collision == null ? "no error" : collision.getSqlState(),
        "prepared statement already exists: the failure the setting exists for");
    } finally {
      first.close().await(5, TimeUnit.SECONDS);
      second.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static Pool pool(DatabaseAddress db) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(db.connectOptions()).using(vertx).build();
  }

  private static Object assertTwice(int value, int got) {
    assertEquals(value * 2, got);
    return got;
  }
}
