package dev.mfaservice.events;

import java.util.List;

/**
 * What ListEvents asks for: optional filters (null = any), a cursor and a page size.
 * {@code afterPosition} pages by the global position: events after it (ascending) or before
 * it (descending). {@code fromSequence} is ZITADEL's per-aggregate sequence cursor.
 */
public record EventFilter(List<String> aggregateTypes, String aggregateId, List<String> eventTypes,
                          String resourceOwner, String editorUserId, Long afterPosition, Long fromSequence,
                          int limit, boolean ascending) {
}
