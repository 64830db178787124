package dev.mfaservice.store;

import static dev.mfaservice.store.EventStoreConcurrencyTest.await;
import static dev.mfaservice.store.EventStoreConcurrencyTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A command whose COMMIT goes out behind its last writes, unanswered (Transactions.runWithTail): when one of those
 * writes fails, nothing of the command is kept — its earlier, answered writes neither — and the caller sees that
 * write's failure; when they succeed, all is kept. One connection, so a command left half-done would show to the next.
 */
class TransactionsTest {
  static TestServer server;
  static Pool pool;
  static Transactions transactions;
  static final EventStore EVENTS = new EventStore(Clock.systemUTC());

  @BeforeAll
  static void start() {
    server = TestServer.start(TransactionsTest.class);
    pool = server.pool(1);
    transactions = new Transactions(pool);
  }

  @AfterAll
  static void stop() {
    pool.close();
    server.close();
  }

  @Test
  void aFailedWriteInTheTailKeepsNothingOfTheCommand() throws Exception {
    await(transactions.run(tx -> EVENTS.append(tx, event("taken"), 0)));
    ExecutionException failure = assertThrows(ExecutionException.class, () -> await(transactions.runWithTail(tx ->
      EVENTS.append(tx, event("tail-first"), 0).map(first -> Tail.of(Future.all(
        EVENTS.append(tx, event("tail-second"), 0),
        EVENTS.append(tx, event("taken"), 0)).map(v -> "kept"))))));
    ApiError error = assertInstanceOf(ApiError.class, failure.getCause());
    assertEquals(GrpcCode.ALREADY_EXISTS, error.code());
    assertEquals(0, count("select count(*) from events where aggregate_id in ('tail-first', 'tail-second')"));
    assertEquals(1, count("select count(*) from events where aggregate_id = 'taken'"));
    // the connection is back to normal: the next command commits
    await(transactions.run(tx -> EVENTS.append(tx, event("after"), 0)));
    assertEquals(1, count("select count(*) from events where aggregate_id = 'after'"));
  }

  @Test
  void aTailThatSucceedsIsCommittedWithItsResult() throws Exception {
    String result = await(transactions.runWithTail(tx -> EVENTS.append(tx, event("ok-first"), 0)
      .map(first -> Tail.of(EVENTS.append(tx, event("ok-second"), 0).map(second -> "both")))));
    assertEquals("both", result);
    assertEquals(2, count("select count(*) from events where aggregate_id in ('ok-first', 'ok-second')"));
  }

  @Test
  void aRefusalBeforeTheTailRollsBack() {
    assertThrows(ExecutionException.class, () -> await(transactions.<String>runWithTail(tx ->
      EVENTS.append(tx, event("refused"), 0).compose(e -> Future.failedFuture(ApiError.notFound("TEST-x", "no"))))));
    assertEquals(0, count("select count(*) from events where aggregate_id = 'refused'"));
  }

  @Test
  void aCommandPostgresqlRollsBackToBreakADeadlockRunsAgain() throws Exception {
    TestDatabases.execute(server.database, "create table deadlocked (id int primary key, v int); "
      + "insert into deadlocked values (1, 0), (2, 0)");
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    try (java.sql.Connection other = TestDatabases.connect(server.database); java.sql.Statement s = other.createStatement()) {
      other.setAutoCommit(false);
      // the other side waits 30 s before it looks for a deadlock, the command's 1 s (PostgreSQL's default): the
      // command's transaction is the one rolled back
      s.execute("set deadlock_timeout = '30s'");
      s.executeUpdate("update deadlocked set v = v + 10 where id = 2");
      Future<String> command = transactions.run(tx -> {
        attempts.incrementAndGet();
        return tx.query("update deadlocked set v = v + 1 where id = 1").execute()
          .compose(v -> tx.query("update deadlocked set v = v + 1 where id = 2").execute()).map(v -> "done");
      });
      dev.mfaservice.support.Await.until(() -> count("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
        + " and query like 'update deadlocked%id = 2'") == 1, "the command waits for row 2");
      s.executeUpdate("update deadlocked set v = v + 10 where id = 1");
      other.commit();
      assertEquals("done", await(command));
    }
    assertEquals(2, attempts.get(), "the first attempt was rolled back, the second committed");
    assertEquals(java.util.List.of("1:11", "2:11"), TestDatabases.strings(server.database,
      "select id || ':' || v from deadlocked order by id"));
  }

  private static long count(String sql) {
    return TestDatabases.count(server.database, sql);
  }
}
