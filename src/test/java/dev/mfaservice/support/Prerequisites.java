package dev.mfaservice.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a browser, command-line tools). Missing on a developer's
 * machine, the test is reported as skipped; missing under {@code CI=true}, it fails: CI is meant
 * to have installed it ({@code .ci/run}), and a skip there would pass for a green run.
 */
public final class Prerequisites {
  private Prerequisites() {
  }

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips (or, in CI, fails) the running test unless {@code present}. */
  public static void require(boolean present, String what) {
    if (!present) {
      notMet(what);
    }
  }

  /** Skips (or, in CI, fails) the running test with this reason. */
  public static void notMet(String reason) {
    if (inCi()) {
      fail("CI=true, but " + reason + " (.ci/run installs what the tests need)");
    }
    Assumptions.abort(reason);
  }

  /** Requires each command on the PATH, naming all that are missing at once. */
  public static void requireCommands(String... commands) {
    List<String> missing = Arrays.stream(commands).filter(c -> onPath(c) == null).toList();
    require(missing.isEmpty(), "missing on the PATH: " + String.join(", ", missing));
  }

  public static Path onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
