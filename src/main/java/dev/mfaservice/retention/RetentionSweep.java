package dev.mfaservice.retention;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One pass of retention: partitions of events created ahead, dead rows deleted in batches, events partitions past
 * their period detached (and dropped, when so set). Every step is a short transaction of its own that first takes
 * a transaction-scoped advisory lock (session locks are not possible behind a transaction pooler): while one instance
 * runs a step, another's finds the lock taken and ends its pass, so the job runs on one instance at a time. DDL
 * waits at most {@link #LOCK_TIMEOUT} for its lock on events, then the pass gives up and the next one tries again.
 */
public final class RetentionSweep {
  /** The advisory lock's key: "mfa-ret" in ASCII. */
  static final long LOCK_KEY = 0x6d66612d726574L;
  private static final String LOCK = "select pg_try_advisory_xact_lock(" + LOCK_KEY + ") as held";
  private static final String LOCK_TIMEOUT = "set local lock_timeout = '2s'";
  private static final String CREATE_AHEAD = "select events_create_partitions($1::text::interval, $2) as made";
  private static final String OLD_PARTITIONS = "select name from event_partitions where upper_bound <= $1 order by upper_bound";
  /** A pass deletes at most this many batches of one kind; the next pass goes on. */
  private static final int MAX_BATCHES = 1000;

  private final Pool pool;
  private final RetentionSettings settings;
  private final Clock clock;

  public RetentionSweep(Pool pool, RetentionSettings settings, Clock clock) {
    this.pool = pool;
    this.settings = settings;
    this.clock = clock;
  }

  /** Runs one pass; its report says what it did, or that another instance held the lock. */
  public Future<SweepReport> run() {
    SweepReport report = new SweepReport();
    return createAhead(report)
      .compose(held -> held ? deleteAll(report, 0) : Future.succeededFuture(false))
      .compose(held -> held ? detachOld(report) : Future.succeededFuture(false))
      .map(held -> report);
  }

  private Future<Boolean> createAhead(SweepReport report) {
    Instant until = clock.instant().plus(settings.partitionStep().multipliedBy(settings.partitionsAhead()));
    return locked(report, tx -> tx.query(LOCK_TIMEOUT).execute()
      .compose(v -> tx.preparedQuery(CREATE_AHEAD).execute(Tuple.of(settings.partitionInterval(), until.atOffset(ZoneOffset.UTC))))
      .map(rows -> {
        report.created(rows.iterator().next().getInteger("made"));
        return true;
      })).map(Optional::isPresent);
  }

  private Future<Boolean> deleteAll(SweepReport report, int kind) {
    if (kind == DeadRows.ALL.size()) {
      return Future.succeededFuture(true);
    }
    return deleteBatches(report, DeadRows.ALL.get(kind), 0)
      .compose(held -> held ? deleteAll(report, kind + 1) : Future.succeededFuture(false));
  }

  private Future<Boolean> deleteBatches(SweepReport report, DeadRows dead, int batch) {
    Instant cutoff = clock.instant().minus(dead.kept().apply(settings));
    return locked(report, tx -> tx.preparedQuery(dead.deleteBatch())
        .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), settings.batchSize()))
        .map(rows -> rows.iterator().next().getLong("deleted")))
      .compose(deleted -> {
        if (deleted.isEmpty()) {
          return Future.succeededFuture(false);
        }
        report.deleted(dead.table(), deleted.get());
        boolean more = deleted.get() == settings.batchSize() && batch + 1 < MAX_BATCHES;
        return more ? deleteBatches(report, dead, batch + 1) : Future.succeededFuture(true);
      });
  }

  private Future<Boolean> detachOld(SweepReport report) {
    if (settings.eventsKept().isZero()) {
      return Future.succeededFuture(true);
    }
    Instant before = clock.instant().minus(settings.eventsKept());
    return locked(report, tx -> tx.query(LOCK_TIMEOUT).execute()
      .compose(v -> tx.preparedQuery(OLD_PARTITIONS).execute(Tuple.of(before.atOffset(ZoneOffset.UTC))))
      .compose(rows -> {
        List<String> names = new java.util.ArrayList<>();
        rows.forEach(r -> names.add(r.getString("name")));
        return detach(tx, names, 0).map(v -> {
          names.forEach(report::detached);
          return true;
        });
      })).map(Optional::isPresent);
  }

  private Future<Void> detach(SqlConnection tx, List<String> names, int i) {
    if (i == names.size()) {
      return Future.succeededFuture();
    }
    String table = '"' + names.get(i).replace("\"", "\"\"") + '"';
    Future<?> detached = tx.query("alter table events detach partition " + table).execute();
    if (settings.dropDetached()) {
      detached = detached.compose(v -> tx.query("drop table " + table).execute());
    }
    return detached.compose(v -> detach(tx, names, i + 1));
  }

  /** {@code work} in a transaction of its own, if this instance gets the lock; empty if another holds it. */
  private <T> Future<Optional<T>> locked(SweepReport report, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(tx -> tx.query(LOCK).execute().compose(rows -> {
      if (!rows.iterator().next().getBoolean("held")) {
        report.lockTaken();
        return Future.succeededFuture(Optional.<T>empty());
      }
      return work.apply(tx).map(Optional::of);
    }));
  }
}
