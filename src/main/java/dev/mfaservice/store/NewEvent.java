package dev.mfaservice.store;

import io.vertx.core.json.JsonObject;

/** An event a command wants appended: what changed, on which aggregate, by whom, for which org. */
public record NewEvent(String aggregateType, String aggregateId, String eventType, JsonObject payload,
                       String creator, String resourceOwner) {
}
