package dev.mfaservice.events;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.store.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;
import java.util.List;

/** HTTP handler of the admin ListEvents call. */
public final class EventRoutes {
  private static final int DEFAULT_LIMIT = 100;
  private final EventQueries queries;

  public EventRoutes(EventQueries queries) {
    this.queries = queries;
  }

  public void mount(ApiRouter api) {
    api.on("AdminService_ListEvents", this::listEvents);
  }

  private void listEvents(ApiCall ctx) {
    ctx.ok(queries.listEvents(ctx.caller(), filter(ctx.request().body())), EventRoutes::eventsJson);
  }

  private static EventFilter filter(JsonObject b) {
    return new EventFilter(strings(b.getJsonArray("aggregateTypes")), b.getString("aggregateId"),
      strings(b.getJsonArray("eventTypes")), b.getString("resourceOwner"), b.getString("editorUserId"),
      number(b.getString("position")), number(b.getString("sequence")),
      b.getInteger("limit", DEFAULT_LIMIT), b.getBoolean("asc", false));
  }

  private static List<String> strings(JsonArray array) {
    return array == null || array.isEmpty() ? null : array.stream().map(String::valueOf).toList();
  }

  private static Long number(String value) {
    return value == null ? null : Long.valueOf(value);
  }

  private static JsonObject eventsJson(List<Event> events) {
    JsonArray list = new JsonArray();
    events.forEach(e -> list.add(new JsonObject()
      .put("position", Long.toString(e.position()))
      .put("editor", new JsonObject().put("userId", e.creator()))
      .put("aggregate", new JsonObject().put("id", e.aggregateId())
        .put("type", new JsonObject().put("type", e.aggregateType())).put("resourceOwner", e.resourceOwner()))
      .put("sequence", Long.toString(e.sequence()))
      .put("creationDate", WireJson.timestamp(e.createdAt()))
      .put("type", new JsonObject().put("type", e.eventType()))
      .put("payload", e.payload())));
    return new JsonObject().put("events", list);
  }
}
