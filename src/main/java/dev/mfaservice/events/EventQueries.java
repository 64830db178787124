package dev.mfaservice.events;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.store.Event;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Lists stored events for IAM owners: the audit trail of every change. */
public final class EventQueries {
  // Every filter is a parameter that may be null; the statement text never changes.
  private static final String WHERE = """
    where ($1::text[] is null or aggregate_type = any($1))
      and ($2::text is null or aggregate_id = $2)
      and ($3::text[] is null or event_type = any($3))
      and ($4::text is null or resource_owner = $4)
      and ($5::text is null or creator = $5)
    """;
  private static final String COLUMNS = """
    select position, aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at
    from events
    """;
  private static final String ASCENDING = COLUMNS + WHERE + """
      and ($6::bigint is null or position > $6)
      and ($7::bigint is null or sequence > $7)
    order by position asc limit $8
    """;
  private static final String DESCENDING = COLUMNS + WHERE + """
      and ($6::bigint is null or position < $6)
      and ($7::bigint is null or sequence < $7)
    order by position desc limit $8
    """;

  private final Pool pool;

  public EventQueries(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Event>> listEvents(Caller caller, EventFilter f) {
    if (!caller.isIamOwner()) {
      return Future.failedFuture(ApiError.permissionDenied());
    }
    Tuple args = Tuple.tuple()
      .addArrayOfString(f.aggregateTypes() == null ? null : f.aggregateTypes().toArray(String[]::new))
      .addString(f.aggregateId())
      .addArrayOfString(f.eventTypes() == null ? null : f.eventTypes().toArray(String[]::new))
      .addString(f.resourceOwner()).addString(f.editorUserId())
      .addLong(f.afterPosition()).addLong(f.fromSequence()).addInteger(f.limit());
    return pool.preparedQuery(f.ascending() ? ASCENDING : DESCENDING).execute(args).map(rows -> {
      List<Event> events = new ArrayList<>(rows.size());
      rows.forEach(row -> events.add(toEvent(row)));
      return events;
    });
  }

  private static Event toEvent(Row r) {
    Object payload = r.getValue("payload");
    return new Event(r.getLong("position"), r.getString("aggregate_type"), r.getString("aggregate_id"),
      r.getLong("sequence"), r.getString("event_type"), payload instanceof JsonObject j ? j : new JsonObject(),
      r.getString("creator"), r.getString("resource_owner"), r.getOffsetDateTime("created_at").toInstant());
  }
}
