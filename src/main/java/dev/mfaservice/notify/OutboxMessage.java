package dev.mfaservice.notify;

import java.time.Instant;

/** A claimed outbox row: where and what to send; the sealed payload holds the code and link. */
public record OutboxMessage(String id, String channel, String userId, String orgId, String recipient, String template,
                            String language, byte[] sealedPayload, int attempts, Instant expiresAt) {

  static String sealingContext(String id) {
    return "outbox:" + id;
  }
}
