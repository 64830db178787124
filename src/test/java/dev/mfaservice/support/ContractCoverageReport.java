package dev.mfaservice.support;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * At the end of the test run, prints which operations of the contract the suite saw answer, with
 * which status classes (every answer was checked against the contract by {@link ContractCheck}).
 */
public final class ContractCoverageReport implements TestExecutionListener {
  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    Map<String, Set<String>> seen = ContractCoverage.seen();
    if (seen.isEmpty()) {
      return;
    }
    long both = seen.values().stream().filter(c -> c.contains("2xx") && c.contains("4xx")).count();
    System.out.println("[contract] " + seen.size() + " operations answered, " + both + " with both a 2xx and a 4xx, "
      + "every answer checked against openapi/mfa-service.yaml:");
    System.out.println(seen.entrySet().stream().map(e -> "  " + e.getKey() + " " + String.join(",", e.getValue()))
      .collect(Collectors.joining("\n")));
  }
}
