package dev.mfaservice.store;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * Runs a command's work in one transaction. When it lost an optimistic race (another writer
 * appended the aggregate's next event first), or PostgreSQL chose it to break a deadlock (40P01: all of it was
 * rolled back), the whole command is run again on fresh state, a few times, before the caller sees the failure. BEGIN goes out with the work's first statements
 * (pipelined on the connection) rather than a round trip of its own before them; COMMIT after the
 * work succeeded, ROLLBACK after it failed. With {@link #runWithTail} COMMIT also goes out with the
 * work's last writes: a command then costs its reads' round trips and one more. Work on a user's factors takes its
 * row locks in one order, the user's row first (see {@link dev.mfaservice.user.UserAccess}): else two transactions
 * of one user can deadlock.
 */
public final class Transactions {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Transactions.class);
  private static final int ATTEMPTS = 3;
  private static final String DEADLOCK = "40P01";
  private final Pool pool;

  public Transactions(Pool pool) {
    this.pool = pool;
  }

  public <T> Future<T> run(Function<SqlConnection, Future<T>> work) {
    return attempt(conn -> work.apply(conn).map(Tail::done), 1);
  }

  /**
   * As {@link #run}, for work that ends with writes it does not wait for (a {@link Tail}): COMMIT is sent right
   * behind them, in the same round trip. Should one of them fail, PostgreSQL has aborted the transaction and answers
   * that COMMIT with a rollback: nothing is kept, and the write's failure is what the caller sees.
   */
  public <T> Future<T> runWithTail(Function<SqlConnection, Future<Tail<T>>> work) {
    return attempt(work, 1);
  }

  /**
   * Work on one connection of the pool and in no transaction (each statement commits on its own): reads, and a write
   * that is one statement guarding itself. Its statements are pipelined on the connection as a transaction's are.
   */
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> work.apply(conn.exceptionHandler(Transactions::connectionLost)));
  }

  /** For reads that need no transaction. */
  public Pool pool() {
    return pool;
  }

  private <T> Future<T> attempt(Function<SqlConnection, Future<Tail<T>>> work, int attempt) {
    return pool.withConnection(conn -> inTransaction(conn.exceptionHandler(Transactions::connectionLost), work))
      .recover(e -> attempt < ATTEMPTS && retryable(e)
      ? attempt(work, attempt + 1)
      : Future.failedFuture(e));
  }

  /**
   * The server ended the connection (a restart, a failover): the statement under way fails too and
   * answers 503. Without a handler vertx-sql-client prints the exception to stderr, a line that is
   * not the log's format.
   */
  private static void connectionLost(Throwable e) {
    LOG.debug("database connection lost: {}", e.toString());
  }

  private static <T> Future<T> inTransaction(SqlConnection conn, Function<SqlConnection, Future<Tail<T>>> work) {
    Future<?> begun = conn.query("BEGIN").execute();
    Future<Tail<T>> done;
    try {
      done = work.apply(conn);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    Future<Tail<T>> worked = done;
    return Future.all(begun, worked)
      .transform(all -> all.succeeded() ? commit(conn, worked.result().result())
        : conn.query("ROLLBACK").execute().transform(v -> Future.<T>failedFuture(firstFailure(begun, worked, all.cause()))));
  }

  /** COMMIT behind the last writes; a failed one made PostgreSQL turn the COMMIT into a rollback. */
  private static <T> Future<T> commit(SqlConnection conn, Future<T> last) {
    Future<?> committed = conn.query("COMMIT").execute();
    return Future.join(last, committed).transform(both -> both.succeeded() ? last
      : Future.failedFuture(last.failed() ? last.cause() : committed.cause()));
  }

  /** The work's own failure rather than one the failed BEGIN caused further on. */
  private static Throwable firstFailure(Future<?> begun, Future<?> worked, Throwable any) {
    return begun.failed() ? begun.cause() : worked.failed() ? worked.cause() : any;
  }

  /**
   * A failure that running the work again on fresh state can cure: a lost optimistic race, or a deadlock PostgreSQL
   * broke by rolling this side back. An optimistic command that meets one runs again the locked way.
   */
  public static boolean retryable(Throwable e) {
    return lostRace(e) || deadlocked(e);
  }

  private static boolean deadlocked(Throwable e) {
    if (e instanceof PgException pg && DEADLOCK.equals(pg.getSqlState())) {
      LOG.info("deadlock: the transaction was rolled back, the command runs again");
      return true;
    }
    return false;
  }

  private static boolean lostRace(Throwable e) {
    return e instanceof ApiError api && api.code() == GrpcCode.ABORTED && EventStore.CONCURRENT.equals(api.id());
  }
}
