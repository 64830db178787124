package dev.mfaservice.container;

import dev.mfaservice.support.Command;

import static dev.mfaservice.container.Podman.podman;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The project's image, built once per test run from the project's own Dockerfile, unchanged, as a
 * user builds it after {@code ./mvnw package}. This machine has no registry: the base images the
 * Dockerfile and compose file name are stand-ins made from Debian packages first
 * ({@code src/test/container/stand-ins.sh}, cached by content hash outside the tree).
 */
final class Image {
  static final String TAG = "localhost/mfa-service:it";
  static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");
  private static long buildMillis = -1;

  private Image() {
  }

  /** Builds it the first time (skips or, under CI=true, fails the test when podman is missing). */
  static synchronized String build() {
    Prerequisites.requireCommands("podman", "mmdebstrap", "git");
    if (buildMillis < 0) {
      Path jar = Podman.PROJECT.resolve("target/mfa-service.jar");
      assertTrue(Files.isRegularFile(jar), "no " + jar + ": `package` builds it before the integration tests");
      long start = System.nanoTime();
      Command.exec(List.of("bash", "src/test/container/stand-ins.sh"), Duration.ofMinutes(8), Map.of(), Podman.PROJECT).ok();
      System.out.printf("container: stand-in base images ready in %d ms%n", (System.nanoTime() - start) / 1_000_000);
      String revision = Command.exec(List.of("git", "rev-parse", "HEAD"), Duration.ofSeconds(10), Map.of(), Podman.PROJECT).line();
      start = System.nanoTime();
      podman(Duration.ofMinutes(5), "build", "--pull=never", "--format", "docker", "-t", TAG,
        "--build-arg", "VERSION=" + VERSION, "--build-arg", "REVISION=" + revision,
        "--build-arg", "SOURCE=" + source(), ".").ok();
      buildMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("container: image %s built in %d ms%n", TAG, buildMillis);
    }
    return TAG;
  }

  /** Where the source lives: the clone's origin (a user's GitHub URL; CI's clean clone names the checkout it came from). */
  private static String source() {
    Command.Result origin = Command.exec(List.of("git", "remote", "get-url", "origin"), Duration.ofSeconds(10), Map.of(), Podman.PROJECT);
    return origin.exit() == 0 && !origin.line().isEmpty() ? origin.line() : "file://" + Podman.PROJECT;
  }
}
