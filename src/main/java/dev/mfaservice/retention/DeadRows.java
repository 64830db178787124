package dev.mfaservice.retention;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of row that dies: its table, what makes it dead before a cutoff ($1), and, when each row is an aggregate
 * of the event store, that aggregate's type and id column: its head in event_heads goes with it (its events stay, in
 * their partition, until archived). Such an aggregate takes no event after its row is gone, its id is never reused.
 */
record DeadRows(String table, String deadBefore, String aggregateType, String idColumn,
                Function<RetentionSettings, Duration> kept) {

  static final List<DeadRows> ALL = List.of(
    new DeadRows("sessions", "expires_at < $1", "session", "id", RetentionSettings::sessions),
    new DeadRows("verification_codes", "expires_at < $1", null, null, RetentionSettings::codes),
    new DeadRows("webauthn_challenges", "expires_at < $1", null, null, RetentionSettings::webauthnChallenges),
    new DeadRows("outbox", "status <> 'pending' and created_at < $1", "notification", "id", RetentionSettings::outbox),
    new DeadRows("verify_verifications", "expires_at < $1", "verify.verification", "sid", RetentionSettings::verifications),
    new DeadRows("verify_challenges", "expires_at < $1", "verify.challenge", "sid", RetentionSettings::verifications),
    // a count is dead when its window has passed: a create after it starts a new one
    new DeadRows("verify_rate_limit_counts", "expires_at < $1", null, null, settings -> Duration.ZERO),
    // a send limit reads the minutes of the last hour and the one before it (4 more: instances' clocks may differ)
    new DeadRows("send_counts", "minute < $1", null, null, settings -> Duration.ofMinutes(65)));

  /**
   * Deletes at most $2 rows dead before $1, skipping rows a command holds (they are deleted by a later batch), and
   * their heads; answers how many rows. Rows are picked by ctid: a TID scan, and no lock beyond those rows'.
   */
  String deleteBatch() {
    String picked = "ctid = any(array(select ctid from " + table + " where " + deadBefore
      + " limit $2 for update skip locked))";
    if (aggregateType == null) {
      return "with dead as (delete from " + table + " where " + picked + " returning 1) select count(*) as deleted from dead";
    }
    return "with dead as (delete from " + table + " where " + picked + " returning " + idColumn + " as id), "
      + "heads as (delete from event_heads where aggregate_type = '" + aggregateType + "' and aggregate_id in "
      + "(select id from dead)) select count(*) as deleted from dead";
  }
}
