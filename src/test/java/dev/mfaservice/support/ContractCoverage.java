package dev.mfaservice.support;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Which operations of the contract the tests of this JVM saw answer, by status class (2xx, 4xx…). */
public final class ContractCoverage {
  private static final Map<String, Set<String>> SEEN = new ConcurrentHashMap<>();

  private ContractCoverage() {
  }

  static void saw(String operationId, int status) {
    SEEN.computeIfAbsent(operationId, k -> ConcurrentHashMap.newKeySet()).add(status / 100 + "xx");
  }

  /** operationId → the status classes seen so far (sorted). */
  public static Map<String, Set<String>> seen() {
    Map<String, Set<String>> copy = new TreeMap<>();
    SEEN.forEach((op, classes) -> copy.put(op, new TreeSet<>(classes)));
    return copy;
  }
}
