package dev.mfaservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Prerequisites;
import dev.mfaservice.support.ServiceProcess;
import dev.mfaservice.support.Walkthrough;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md's walk-through runs as written. Its ```sh blocks ({@link Walkthrough}) go, in order,
 * into one {@code bash -euo pipefail} (one shell a reader pastes into) in a fresh directory where
 * the packaged jar runs as the README starts it, on its defaults: {@code ./data} with the embedded
 * PostgreSQL, as on a fresh machine (not the tests' database server). Then the same blocks run
 * again on the same data, as a reader trying it twice would (StartupTest covers restarts).
 * Run by failsafe after {@code package}, so {@code target/mfa-service.jar} is the real jar.
 */
class ReadmeWalkthroughIT {
  private static final Path JAR = Path.of("target/mfa-service.jar").toAbsolutePath();
  private static final long SHELL_SECONDS = 120;

  @Test
  void theWalkthroughRunsOnAFreshDataDirAndAgainOnTheSameData() throws IOException, InterruptedException {
    Prerequisites.requireCommands("bash", "curl", "jq", "oathtool");
    assertTrue(Files.isRegularFile(JAR), "no " + JAR + ": `package` builds it before the integration tests");
    Walkthrough walkthrough = Walkthrough.read(Path.of("README.md"));
    assertTrue(walkthrough.blocks() >= 5, "the README's walk-through has " + walkthrough.blocks() + " blocks");
    Path dir = Files.createTempDirectory("readme-walkthrough");
    try {
      Path jar = Files.createDirectories(dir.resolve("target")).resolve(JAR.getFileName());
      Files.createSymbolicLink(jar, JAR);
      Path script = Files.writeString(dir.resolve("walkthrough.sh"), walkthrough.script());
      try (ServiceProcess service = ServiceProcess.start(jar, dir, "service.log")) {
        for (String run : List.of("first run, fresh ./data", "second run, same ./data")) {
          Path output = dir.resolve("walkthrough.out");
          long start = System.nanoTime();
          int exit = bash(dir, script, output, service.baseUrl());
          assertEquals(0, exit, () -> run + ": the README walk-through failed (bash -euo pipefail):\n" + read(output)
            + "\n--- the service's log, last lines:\n" + service.logTail(30));
          System.out.printf("README walk-through, %s: %d blocks in %d ms%n", run, walkthrough.blocks(),
            (System.nanoTime() - start) / 1_000_000);
        }
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  /** The script in one bash, as a fresh shell: no MFA_* settings, API pointing at the service, the build's java first. */
  private static int bash(Path dir, Path script, Path output, String api) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", script.toString()).directory(dir.toFile())
      .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("MFA_"));
    builder.environment().put("API", api);
    builder.environment().put("PATH", Path.of(ServiceProcess.java()).getParent() + File.pathSeparator
      + builder.environment().getOrDefault("PATH", ""));
    Process shell = builder.start();
    try {
      if (!shell.waitFor(SHELL_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the walk-through did not end within " + SHELL_SECONDS + " s:\n" + read(output));
      }
      return shell.exitValue();
    } finally {
      shell.descendants().forEach(ProcessHandle::destroyForcibly);
      shell.destroyForcibly();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
