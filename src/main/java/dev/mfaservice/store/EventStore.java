package dev.mfaservice.store;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Appends events with an expected aggregate sequence (optimistic concurrency). Always called with
 * the connection of the command's transaction, so events and state change together or not at all.
 */
public final class EventStore {
  private static final String INSERT = """
    insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
    """;
  /** An event's insert, its columns $1..$8: on its own, or as the first CTE of an aggregate's statement. */
  public static final String APPEND = INSERT + "values ($1, $2, $3, $4, $5, $6, $7, $8)\nreturning position";

  /**
   * APPEND as an insert from a select, for a statement that guards itself: the event is stored only when
   * {@code condition} (an SQL condition, such as {@code exists (select from guard)}) holds.
   */
  public static String appendIf(String condition) {
    return INSERT + """
      select $1::text, $2::text, $3::bigint, $4::text, $5::jsonb, $6::text, $7::text, $8::timestamptz
      where %s
      returning position""".formatted(condition);
  }

  private static final String CURRENT = """
    select coalesce((select sequence from event_heads where aggregate_type = $1 and aggregate_id = $2), 0) as sequence
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
    return insert(tx, stamp(event, expectedSequence));
  }

  /**
   * The event as it will be stored, before it is: its sequence and time are known up front, so
   * a command can send the event and the state changes that carry them in one pipelined batch.
   */
  public Event stamp(NewEvent event, long expectedSequence) {
    // Millisecond precision: the wire shows millis, and the stored row must equal the response.
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return new Event(0, event.aggregateType(), event.aggregateId(), expectedSequence + 1, event.eventType(), event.payload(),
      event.creator(), event.resourceOwner(), at);
  }

  /** Stores a stamped event; the unique key refuses it if another writer took its sequence. */
  public Future<Event> insert(SqlClient tx, Event e) {
    return insert(tx, e, APPEND);
  }

  /**
   * As {@link #insert(SqlClient, Event)}, with a statement of the aggregate's repository that stores the event (its
   * columns as $1..$8 in the order of APPEND, returning position) and moves the aggregate's state row with it in the
   * same statement (a data-modifying CTE): one statement instead of two.
   */
  public Future<Event> insert(SqlClient tx, Event e, String appendStatement) {
    return insert(tx, e, appendStatement, Tuple.tuple());
  }

  /** As {@link #insert(SqlClient, Event, String)}, the statement taking {@code more} as $9, $10, … after the event's. */
  public Future<Event> insert(SqlClient tx, Event e, String appendStatement, Tuple more) {
    return insertIf(tx, e, appendStatement, more).map(Optional::orElseThrow);
  }

  /**
   * As {@link #insert(SqlClient, Event, String, Tuple)}, for a statement that stores the event only when its guards
   * hold (an insert from a select): empty when it stored nothing.
   */
  public Future<Optional<Event>> insertIf(SqlClient client, Event e, String appendStatement, Tuple more) {
    Tuple args = Tuple.of(e.aggregateType(), e.aggregateId(), e.sequence(), e.eventType(), e.payload(),
      e.creator(), e.resourceOwner(), e.createdAt().atOffset(ZoneOffset.UTC));
    for (int i = 0; i < more.size(); i++) {
      args.addValue(more.getValue(i));
    }
    return client.preparedQuery(appendStatement).execute(args)
      .recover(SqlErrors.onUnique("events_aggregate_sequence_key", () -> e.sequence() == 1
        ? ApiError.alreadyExists("EVENT-exists", "An object with this id already exists")
        : ApiError.aborted(CONCURRENT, "The object was changed concurrently: try again")))
      .map(rows -> rows.size() == 0 ? Optional.<Event>empty() : Optional.of(new Event(rows.iterator().next()
        .getLong("position"), e.aggregateType(), e.aggregateId(), e.sequence(), e.eventType(), e.payload(), e.creator(),
        e.resourceOwner(), e.createdAt())));
  }

  /**
   * The sequence of an aggregate's newest event (0 = none), for aggregates without a state row of their own: from its
   * head, which outlives the partition holding its events when that is archived (V19).
   */
  public Future<Long> currentSequence(SqlClient client, String aggregateType, String aggregateId) {
    return client.preparedQuery(CURRENT).execute(Tuple.of(aggregateType, aggregateId))
      .map(rows -> rows.iterator().next().getLong("sequence"));
  }

}
