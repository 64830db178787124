package dev.mfaservice.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of node's test runner on test files of src/test/node, and what became of each of their
 * top-level tests, read from the run's TAP report: so a test node skipped (no Chromium here) is
 * reported to JUnit as skipped, not hidden inside one passing JUnit test.
 */
public final class NodeTests {
  /** A top-level TAP result line: {@code ok 3 - name}, {@code not ok 4 - name}, {@code ok 5 - name # SKIP why}. */
  private static final Pattern RESULT = Pattern.compile("^(ok|not ok) \\d+ - (.*?)(?: # (SKIP|TODO)\\b ?(.*))?$");

  public enum Outcome { PASSED, FAILED, SKIPPED }

  /** One node test; {@code detail} is node's skip reason or failure report. */
  public record Result(String name, Outcome outcome, String detail) {
    /** Passes, fails, or (for a skipped node test) skips the running JUnit test, failing it under CI=true. */
    public void check() {
      switch (outcome) {
        case FAILED -> fail("node test failed: " + name + "\n" + detail);
        case SKIPPED -> Prerequisites.notMet("node skipped \"" + name + "\": " + detail);
        default -> { }
      }
    }
  }

  public record Run(int exit, String log, List<Result> results) {
  }

  private NodeTests() {
  }

  /** Runs {@code node --test} on {@code files} in {@code dir} with {@code env} added, one file at a time. */
  public static Run run(Path dir, Map<String, String> env, Duration timeout, String... files) throws IOException,
      InterruptedException {
    Path tap = Files.createTempFile("node-tests", ".tap");
    Path log = Files.createTempFile("node-tests", ".log");
    List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1",
      "--test-reporter=spec", "--test-reporter-destination=stdout",
      "--test-reporter=tap", "--test-reporter-destination=" + tap));
    command.addAll(List.of(files));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
      .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process node = builder.start();
    try {
      if (!node.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        fail("node's tests did not finish in " + timeout.toSeconds() + " s:\n" + Files.readString(log));
      }
    } finally {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
    }
    List<Result> results = parseTap(Files.readAllLines(tap, StandardCharsets.UTF_8));
    return new Run(node.exitValue(), Files.readString(log, StandardCharsets.UTF_8), results);
  }

  /** The top-level results of a TAP report (subtests are indented and belong to their parent). */
  public static List<Result> parseTap(List<String> tap) {
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < tap.size(); i++) {
      Matcher m = RESULT.matcher(tap.get(i));
      if (!m.matches()) {
        continue;
      }
      String name = m.group(2).replace("\\#", "#");
      if (m.group(3) != null) {
        results.add(new Result(name, Outcome.SKIPPED, m.group(4) == null ? "" : m.group(4)));
      } else if (m.group(1).equals("not ok")) {
        results.add(new Result(name, Outcome.FAILED, diagnostics(tap, i + 1)));
      } else {
        results.add(new Result(name, Outcome.PASSED, ""));
      }
    }
    return results;
  }

  /** The indented YAML block after a result line: node's error, expected and actual values, stack. */
  private static String diagnostics(List<String> tap, int from) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i < tap.size() && tap.get(i).startsWith(" "); i++) {
      text.append(tap.get(i)).append('\n');
    }
    return text.toString();
  }
}
