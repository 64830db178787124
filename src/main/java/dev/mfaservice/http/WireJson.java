package dev.mfaservice.http;

import dev.mfaservice.store.Details;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** grpc-gateway's JSON conventions: uint64 as decimal strings, RFC 3339 UTC timestamps, zero values left out. */
public final class WireJson {
  private WireJson() {
  }

  public static JsonObject details(Details d) {
    JsonObject json = new JsonObject().put("sequence", Long.toString(d.sequence()));
    if (d.creationDate() != null) {
      json.put("creationDate", timestamp(d.creationDate()));
    }
    if (d.changeDate() != null) {
      json.put("changeDate", timestamp(d.changeDate()));
    }
    return json.put("resourceOwner", d.resourceOwner());
  }

  /** Millisecond precision, as everywhere on the wire (a session's clock reads carry microseconds). */
  public static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /** Puts {@code value} unless it is null or empty, as protojson leaves out zero values. */
  public static JsonObject putIfSet(JsonObject json, String key, Object value) {
    if (value != null && !(value instanceof String s && s.isEmpty())) {
      json.put(key, value);
    }
    return json;
  }
}
