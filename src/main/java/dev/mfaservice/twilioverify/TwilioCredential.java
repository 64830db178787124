package dev.mfaservice.twilioverify;

import java.time.Instant;

/** An account credential of the Verify API: its Account SID and the org it acts for (the token is never kept). */
public record TwilioCredential(String accountSid, String orgId, Instant createdAt) {
}
