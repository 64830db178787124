package dev.mfaservice.notify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A message a command wants sent: its payload (the code, a link) is sealed before it is stored. */
public record NewMessage(String channel, String userId, String orgId, String recipient, String template, String language,
                         JsonObject payload, Instant expiresAt) {
}
