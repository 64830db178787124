package dev.mfaservice.retention;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;
import java.time.Duration;

/**
 * How long dead rows are kept before the retention job deletes them (each period counts from the moment the row died:
 * its expiry, or for outbox rows their creation once sent or failed), how the events table is partitioned and when its
 * old partitions leave. {@code eventsKept} zero: events are kept forever (an operator archives them, README).
 */
public record RetentionSettings(int sweepSeconds, int batchSize, Duration sessions, Duration codes,
                                Duration webauthnChallenges, Duration outbox, Duration verifications,
                                Duration eventsKept, String partition, int partitionsAhead, boolean dropDetached) {
  /** The send limits count the outbox rows of the last hour: finished rows must outlive it. */
  static final int OUTBOX_MIN_SECONDS = 3600;

  public static RetentionSettings from(Settings s) {
    RetentionSettings r = new RetentionSettings(s.integer("retention.sweep-seconds", 1, 86_400),
      s.integer("retention.batch-size", 1, 10_000), seconds(s, "retention.sessions-seconds"),
      seconds(s, "retention.codes-seconds"), seconds(s, "retention.webauthn-challenges-seconds"),
      seconds(s, "retention.outbox-seconds"), seconds(s, "retention.verifications-seconds"),
      seconds(s, "retention.events-seconds"), s.choice("retention.events-partition", "month", "day", "hour", "minute"),
      s.integer("retention.events-partitions-ahead", 1, 1000), s.choice("retention.events-detached", "keep", "drop")
        .equals("drop"));
    if (r.outbox().getSeconds() < OUTBOX_MIN_SECONDS) {
      throw new ConfigException(Settings.envName("retention.outbox-seconds") + " must be at least " + OUTBOX_MIN_SECONDS
        + ": the send limits count the outbox rows of the last hour");
    }
    if (!r.eventsKept().isZero() && r.eventsKept().compareTo(r.partitionStep()) < 0) {
      throw new ConfigException(Settings.envName("retention.events-seconds") + " must be 0 (keep) or at least one "
        + Settings.envName("retention.events-partition") + " (" + r.partition() + ")");
    }
    return r;
  }

  /** One partition's width, as PostgreSQL's interval text. */
  String partitionInterval() {
    return "1 " + partition;
  }

  /** A partition's width at most (a month: 31 days), to know how far ahead partitions must reach. */
  Duration partitionStep() {
    return switch (partition) {
      case "month" -> Duration.ofDays(31);
      case "day" -> Duration.ofDays(1);
      case "hour" -> Duration.ofHours(1);
      default -> Duration.ofMinutes(1);
    };
  }

  private static Duration seconds(Settings s, String key) {
    return Duration.ofSeconds(s.integer(key, 0, Integer.MAX_VALUE));
  }
}
