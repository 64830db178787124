package dev.mfaservice.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs README.md's walk-through ({@link Walkthrough#script()}) in one {@code bash -euo pipefail},
 * as a fresh shell a reader pastes into: no MFA_* settings, {@code API} pointing at the service,
 * and {@code bin} first on the PATH (the build's java, or a stand-in for it that runs the
 * {@code token} command inside a container).
 */
public final class WalkthroughShell {
  private static final long SHELL_SECONDS = 120;

  private WalkthroughShell() {
  }

  /** Exit code 0 or an AssertionError with the output and {@code context} (e.g. the service's log tail). */
  public static void passes(String run, Path dir, String api, Path bin, java.util.function.Supplier<String> context)
    throws IOException, InterruptedException {
    Prerequisites.requireCommands("bash", "curl", "jq", "oathtool");
    Walkthrough walkthrough = Walkthrough.read(Path.of("README.md"));
    Path script = Files.writeString(dir.resolve("walkthrough.sh"), walkthrough.script());
    Path output = dir.resolve("walkthrough.out");
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", script.toString()).directory(dir.toFile())
      .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("MFA_"));
    builder.environment().put("API", api);
    builder.environment().put("PATH", bin + File.pathSeparator + builder.environment().getOrDefault("PATH", ""));
    Process shell = builder.start();
    try {
      if (!shell.waitFor(SHELL_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(run + ": the walk-through did not end within " + SHELL_SECONDS + " s:\n" + read(output));
      }
      if (shell.exitValue() != 0) {
        throw new AssertionError(run + ": the README walk-through failed (bash -euo pipefail):\n" + read(output)
          + "\n--- the service's log, last lines:\n" + context.get());
      }
    } finally {
      shell.descendants().forEach(ProcessHandle::destroyForcibly);
      shell.destroyForcibly();
    }
    System.out.printf("README walk-through, %s: %d blocks in %d ms%n", run, walkthrough.blocks(),
      (System.nanoTime() - start) / 1_000_000);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
