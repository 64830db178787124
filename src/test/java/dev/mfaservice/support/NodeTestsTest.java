package dev.mfaservice.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.NodeTests.Outcome;
import dev.mfaservice.support.NodeTests.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading node's TAP report: top-level results only, skips with their reason, failures with node's diagnostics. */
class NodeTestsTest {
  @Test
  void eachTopLevelResultWithItsOutcome() {
    List<Result> results = NodeTests.parseTap(List.of(
      "TAP version 13",
      "# Subtest: grpc: org, user",
      "ok 1 - grpc: org, user",
      "  ---",
      "  duration_ms: 3.7",
      "  ...",
      "# Subtest: browser \\# one",
      "ok 2 - browser \\# one # SKIP no browser here (/usr/bin/chromium)",
      "# Subtest: group",
      "    # Subtest: inner",
      "    not ok 1 - inner",
      "not ok 3 - group",
      "  ---",
      "  error: 'boom'",
      "  ...",
      "ok 4 - later # TODO",
      "1..4",
      "# skip 1"));
    assertEquals(List.of("grpc: org, user", "browser # one", "group", "later"), results.stream().map(Result::name).toList());
    assertEquals(List.of(Outcome.PASSED, Outcome.SKIPPED, Outcome.FAILED, Outcome.SKIPPED),
      results.stream().map(Result::outcome).toList());
    assertEquals("no browser here (/usr/bin/chromium)", results.get(1).detail());
    assertTrue(results.get(2).detail().contains("error: 'boom'"), results.get(2).detail());
  }
}
