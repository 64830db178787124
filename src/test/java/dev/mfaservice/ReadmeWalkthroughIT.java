package dev.mfaservice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Prerequisites;
import dev.mfaservice.support.ServiceProcess;
import dev.mfaservice.support.Walkthrough;
import dev.mfaservice.support.WalkthroughShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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
      try (ServiceProcess service = ServiceProcess.start(jar, dir, "service.log")) {
        for (String run : List.of("first run, fresh ./data", "second run, same ./data")) {
          WalkthroughShell.passes(run, dir, service.baseUrl(), Path.of(ServiceProcess.java()).getParent(),
            () -> service.logTail(30));
        }
      }
    } finally {
      deleteRecursively(dir);
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
