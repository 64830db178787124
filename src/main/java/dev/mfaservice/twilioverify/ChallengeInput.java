package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The parts of a Challenge's create that need more than the contract's check: its expiration date and details. */
final class ChallengeInput {
  static final Duration DEFAULT_LIFE = Duration.ofMinutes(5);
  static final Duration LONGEST_LIFE = Duration.ofMinutes(60);

  private ChallengeInput() {
  }

  /**
   * {@code ExpirationDate}: ISO 8601, with a zone or offset (Python, Node) or without one (twilio-java: UTC); after
   * {@code now} and at most 60 minutes ahead; absent: 5 minutes from now. Else 400/60306.
   */
  static Instant expiration(String text, Instant now) {
    if (text == null) {
      return now.plus(DEFAULT_LIFE);
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException withoutZone) {
      try {
        at = LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw TwilioError.invalidRequest("ExpirationDate");
      }
    }
    if (!at.isAfter(now) || at.isAfter(now.plus(LONGEST_LIFE))) {
      throw TwilioError.invalidRequest("ExpirationDate");
    }
    return at;
  }

  /**
   * {@code details}: {@code Details.Message} and {@code Details.Fields} (each a stringified {@code {label, value}}),
   * with the date of the challenge; null when neither was sent.
   */
  static JsonObject details(JsonObject in, Instant now) {
    String message = in.getString("Details.Message");
    JsonArray sent = in.getJsonArray("Details.Fields");
    if (message == null && sent == null) {
      return null;
    }
    JsonArray fields = new JsonArray();
    for (Object item : sent == null ? new JsonArray() : sent) {
      JsonObject field = FormJson.stringMap((String) item, "Details.Fields");
      if (field.size() != 2 || field.getString("label") == null || field.getString("value") == null) {
        throw TwilioError.invalidRequest("Details.Fields");
      }
      fields.add(field);
    }
    return new JsonObject().put("message", message).put("date", ServiceJson.date(now)).put("fields", fields);
  }
}
