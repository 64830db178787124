package dev.mfaservice.retention;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one retention pass did: partitions created, rows deleted per table, partitions detached; or that it yielded. */
public final class SweepReport {
  private final Map<String, Long> deleted = new LinkedHashMap<>();
  private final List<String> detached = new ArrayList<>();
  private int created;
  private boolean yielded;

  void created(int partitions) {
    created += partitions;
  }

  void deleted(String table, long rows) {
    deleted.merge(table, rows, Long::sum);
  }

  void detached(String partition) {
    detached.add(partition);
  }

  void lockTaken() {
    yielded = true;
  }

  /** Another instance held the job's lock: this pass stopped at that step. */
  public boolean yielded() {
    return yielded;
  }

  public int partitionsCreated() {
    return created;
  }

  /** Rows deleted per table, every table the pass reached (0 included). */
  public Map<String, Long> deleted() {
    return Map.copyOf(deleted);
  }

  public List<String> detached() {
    return List.copyOf(detached);
  }

  public boolean didSomething() {
    return created > 0 || !detached.isEmpty() || deleted.values().stream().anyMatch(n -> n > 0);
  }

  @Override
  public String toString() {
    return (yielded ? "yielded to another instance; " : "") + "partitions created " + created + ", deleted " + deleted
      + ", partitions detached " + detached;
  }
}
