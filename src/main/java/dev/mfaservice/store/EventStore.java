package dev.mfaservice.store;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Appends events with an expected aggregate sequence (optimistic concurrency). Always called with
 * the connection of the command's transaction, so events and state change together or not at all.
 */
public final class EventStore {
  private static final String APPEND = """
    insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8)
    returning position
    """;

  private static final String CURRENT = """
    select coalesce(max(sequence), 0) as sequence from events where aggregate_type = $1 and aggregate_id = $2
    """;

  /** The error id of a lost optimistic race; {@link Transactions} retries it. */
  public static final String CONCURRENT = "EVENT-concurrent";
  private final Clock clock;

  public EventStore(Clock clock) {
    this.clock = clock;
  }

  /**
   * Appends {@code event} as number {@code expectedSequence + 1} of its aggregate. If another
   * writer got there first the unique key refuses it: for a new aggregate (expected 0) that means
   * its id is taken (6/ALREADY_EXISTS), otherwise a concurrent change (10/ABORTED).
   */
  public Future<Event> append(SqlClient tx, NewEvent event, long expectedSequence) {
    // Millisecond precision: the wire shows millis, and the stored row must equal the response.
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    long sequence = expectedSequence + 1;
    Tuple args = Tuple.of(event.aggregateType(), event.aggregateId(), sequence, event.eventType(), event.payload(),
      event.creator(), event.resourceOwner(), at.atOffset(ZoneOffset.UTC));
    return tx.preparedQuery(APPEND).execute(args)
      .recover(SqlErrors.onUnique("events_aggregate_sequence_key", () -> expectedSequence == 0
        ? ApiError.alreadyExists("EVENT-exists", "An object with this id already exists")
        : ApiError.aborted(CONCURRENT, "The object was changed concurrently: try again")))
      .map(rows -> toEvent(rows.iterator().next(), event, sequence, at));
  }

  /** The sequence of an aggregate's newest event (0 = none), for aggregates without a state row of their own. */
  public Future<Long> currentSequence(SqlClient client, String aggregateType, String aggregateId) {
    return client.preparedQuery(CURRENT).execute(Tuple.of(aggregateType, aggregateId))
      .map(rows -> rows.iterator().next().getLong("sequence"));
  }

  private static Event toEvent(Row row, NewEvent e, long sequence, Instant at) {
    return new Event(row.getLong("position"), e.aggregateType(), e.aggregateId(), sequence, e.eventType(),
      e.payload(), e.creator(), e.resourceOwner(), at);
  }
}
