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

  private static long count(String sql) {
    return TestDatabases.count(server.database, sql);
  }
}
