package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A TOTP Challenge (YC) of a Factor: pending until a right code approves it, until its expiration date, or out of
 * checks after 5 wrong codes. A pending challenge past its expiration date is {@code expired} when shown.
 */
record VerifyChallenge(String sid, String entitySid, String factorSid, String status, int failedChecks,
                       JsonObject details, JsonObject hiddenDetails, JsonObject metadata, Instant expiresAt,
                       Instant respondedAt, long sequence, Instant createdAt, Instant updatedAt) {
  static final String PENDING = "pending";
  static final String APPROVED = "approved";
  static final String EXPIRED = "expired";

  /** The status as of {@code now}: a pending challenge past its expiration date is expired. */
  String statusAt(Instant now) {
    return PENDING.equals(status) && !expiresAt.isAfter(now) ? EXPIRED : status;
  }

  VerifyChallenge checked(String newStatus, int misses, JsonObject newMetadata, Instant now) {
    return new VerifyChallenge(sid, entitySid, factorSid, newStatus, misses, details, hiddenDetails, newMetadata, expiresAt,
      APPROVED.equals(newStatus) ? now : respondedAt, sequence, createdAt, now);
  }

  VerifyChallenge at(long newSequence) {
    return new VerifyChallenge(sid, entitySid, factorSid, status, failedChecks, details, hiddenDetails, metadata,
      expiresAt, respondedAt, newSequence, createdAt, updatedAt);
  }
}
