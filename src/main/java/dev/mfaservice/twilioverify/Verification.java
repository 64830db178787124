package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A verification (VE) of a Verify Service: to whom, on which channel, its status, its code sealed, its wrong checks
 * and its sends ({@code send_code_attempts}: time, channel, attempt_sid), the PSD2 transaction its code is bound to
 * (or none), and its {@code lookup} (null: the Service has lookups off).
 */
record Verification(String sid, String orgId, String serviceSid, String accountSid, String to, String channel,
                    String status, byte[] codeSealed, int failedChecks, JsonArray attempts, Instant expiresAt,
                    long sequence, Instant createdAt, Instant updatedAt, VerificationRequest.Transaction transaction,
                    JsonObject lookup) {
  static final String PENDING = "pending";

  boolean live(Instant now) {
    return PENDING.equals(status) && expiresAt.isAfter(now);
  }

  Verification sentAgain(JsonObject attempt, Instant now) {
    return new Verification(sid, orgId, serviceSid, accountSid, to, channel, status, codeSealed, failedChecks,
      attempts.copy().add(attempt), expiresAt, sequence, createdAt, now, transaction, lookup);
  }

  /** The new status; a verification that is no longer pending keeps no code. */
  Verification with(String newStatus, int checks, Instant now) {
    return new Verification(sid, orgId, serviceSid, accountSid, to, channel, newStatus,
      PENDING.equals(newStatus) ? codeSealed : null, checks, attempts, expiresAt, sequence, createdAt, now, transaction,
      lookup);
  }

  Verification at(long newSequence) {
    return new Verification(sid, orgId, serviceSid, accountSid, to, channel, status, codeSealed, failedChecks, attempts,
      expiresAt, newSequence, createdAt, updatedAt, transaction, lookup);
  }
}
