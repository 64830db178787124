package dev.mfaservice.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An event as stored: its global position, its sequence within the aggregate and its time. */
public record Event(long position, String aggregateType, String aggregateId, long sequence, String eventType,
                    JsonObject payload, String creator, String resourceOwner, Instant createdAt) {

  /** The {@code details} of a response that created something. */
  public Details created() {
    return new Details(sequence, createdAt, null, resourceOwner);
  }

  /** Both dates: for adds that ZITADEL answers with creation and change date (AddMyAuthFactorOTP). */
  public Details createdAndChanged() {
    return new Details(sequence, createdAt, createdAt, resourceOwner);
  }

  /** The {@code details} of a response that changed or removed something. */
  public Details changed() {
    return new Details(sequence, null, createdAt, resourceOwner);
  }
}
