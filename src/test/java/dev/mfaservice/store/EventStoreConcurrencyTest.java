package dev.mfaservice.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two writers of one aggregate can never take the same sequence; the events table only grows. */
class EventStoreConcurrencyTest {
  static TestServer server;
  static Pool pool;

  @BeforeAll
  static void start() {
    server = TestServer.start(EventStoreConcurrencyTest.class);
    pool = server.pool(20);
  }

  @AfterAll
  static void stop() {
    pool.close();
    server.close();
  }

  @Test
  void concurrentAppendsWithTheSameExpectedSequenceLetExactlyOneWin() throws Exception {
    EventStore store = new EventStore(Clock.systemUTC());
    for (int round = 0; round < 20; round++) {
      String aggregate = "agg-" + round;
      await(pool.withTransaction(tx -> store.append(tx, event(aggregate), 0)));
      List<Future<Event>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        // Each racer holds its transaction open a little so they all overlap.
        racers.add(pool.withTransaction(tx -> tx.query("select pg_sleep(0.02)").execute()
          .compose(v -> store.append(tx, event(aggregate), 1))));
      }
      Future.join(racers).otherwiseEmpty().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long won = racers.stream().filter(Future::succeeded).count();
      assertEquals(1, won, "round " + round);
      racers.stream().filter(Future::failed).forEach(f -> {
        ApiError e = assertInstanceOf(ApiError.class, f.cause());
        assertEquals(GrpcCode.ABORTED, e.code());
        assertEquals(EventStore.CONCURRENT, e.id());
      });
      assertEquals(2, count("select count(*) from events where aggregate_id = '" + aggregate + "'"));
    }
  }

  @Test
  void appendingToANewAggregateWhoseIdIsTakenIsAlreadyExists() throws Exception {
    EventStore store = new EventStore(Clock.systemUTC());
    await(pool.withTransaction(tx -> store.append(tx, event("taken"), 0)));
    Exception failure = assertThrows(Exception.class, () -> await(pool.withTransaction(tx -> store.append(tx, event("taken"), 0))));
    ApiError e = assertInstanceOf(ApiError.class, failure.getCause());
    assertEquals(GrpcCode.ALREADY_EXISTS, e.code());
  }

  @Test
  void concurrentCreatesOfOneUsernameGiveOne201AndThe409s() throws Exception {
    String org = server.createOrg("Race Inc");
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Reply>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> server.http.post("/v2/users/human", server.adminToken(), new JsonObject()
          .put("organization", new JsonObject().put("orgId", org)).put("username", "racer")
          .put("profile", new JsonObject().put("givenName", "R").put("familyName", "R"))));
      }
      List<Integer> statuses = new ArrayList<>();
      for (var f : threads.invokeAll(calls)) {
        statuses.add(f.get().status());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
      assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
      assertEquals(1, count("select count(*) from users where username = 'racer'"));
      assertEquals(1, count("select count(*) from events e join users u on u.id = e.aggregate_id where u.username = 'racer'"));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void storedEventsCannotBeChangedOrDeleted() {
    server.createOrg("Immutable Ltd");
    IllegalStateException update = assertThrows(IllegalStateException.class,
      () -> TestDatabases.execute(server.database, "update events set event_type = 'x'"));
    assertTrue(update.getMessage().contains("append-only"), update.getMessage());
    assertThrows(IllegalStateException.class, () -> TestDatabases.execute(server.database, "delete from events"));
    assertTrue(count("select count(*) from events where event_type = 'org.added'") >= 1);
  }

  static NewEvent event(String aggregate) {
    return new NewEvent("test", aggregate, "test.happened", new JsonObject(), "tester", "org");
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long count(String sql) {
    return TestDatabases.count(server.database, sql);
  }
}
