package dev.mfaservice.ids;

import dev.mfaservice.settings.Settings;
import java.util.OptionalInt;

/**
 * The id generator's 16-bit machine id: {@code machineId} empty = the lowest free one, leased from the database;
 * given = that one, leased the same way (refused while another live instance holds it).
 */
public record IdSettings(OptionalInt machineId, int leaseSeconds) {

  public static IdSettings from(Settings s) {
    OptionalInt id = s.string("ids.machine-id").isEmpty() ? OptionalInt.empty()
      : OptionalInt.of(s.integer("ids.machine-id", 0, 65535));
    return new IdSettings(id, s.integer("ids.lease-seconds", 3, 3600));
  }
}
