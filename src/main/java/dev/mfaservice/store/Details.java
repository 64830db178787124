package dev.mfaservice.store;

import java.time.Instant;

/**
 * ZITADEL's object details: the sequence of the aggregate's newest event, the creation or
 * change date (the event's time) and the owning org. Exactly one date is set.
 */
public record Details(long sequence, Instant creationDate, Instant changeDate, String resourceOwner) {
}
