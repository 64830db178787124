package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mfaservice.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service in its own JVM on its embedded PostgreSQL (the default), stopped the way
 * {@code docker stop} stops it: SIGTERM. It releases its machine id while the database still runs,
 * stops the database last, exits on its own within the grace and leaves no PostgreSQL running,
 * also when the signal comes while it is still starting. Its PostgreSQL binaries live in the data
 * dir, not in java.io.tmpdir (noexec in a container with a read-only root file system), and the
 * next start uses them as they are.
 */
class StopSignalTest {
  static final int GRACE_SECONDS = 30;

  @Test
  void sigtermReleasesTheMachineIdThenStopsTheEmbeddedDatabaseAndExits() throws Exception {
    Path dataDir = Files.createTempDirectory("mfa-sigterm");
    Process service = start(dataDir, "first.log");
    try {
      awaitLog(dataDir, "first.log", service, "mfa-service listening on");
      long signalled = System.nanoTime();
      service.destroy();
      assertTrue(service.waitFor(GRACE_SECONDS, TimeUnit.SECONDS), "the JVM exits on its own after SIGTERM");
      long millis = (System.nanoTime() - signalled) / 1_000_000;
      String log = log(dataDir, "first.log");
      System.out.printf("StopSignalTest: exit %d, %d ms after SIGTERM%n", service.exitValue(), millis);
      int released = log.indexOf("machine id 0 released");
      assertAll(log,
        () -> assertTrue(Set.of(0, 143).contains(service.exitValue()), "exit code " + service.exitValue()),
        () -> assertTrue(log.contains("mfa-service stopping (SIGTERM)"), "the stop says it began, and why"),
        () -> assertFalse(log.contains("cannot release"), "the machine id is released"),
        () -> assertTrue(released >= 0 && released < log.indexOf("embedded PostgreSQL stopped"), "before the database stops"),
        () -> assertTrue(log.contains("mfa-service stopped in"), "the stop says how long it took"),
        () -> assertEquals(List.of(), postgresProcessesOf(dataDir), "no PostgreSQL left running"),
        () -> assertEquals(1, unpackedBinaries(dataDir), "PostgreSQL unpacked under the data dir"));
      restartReusesTheBinariesAndTheReleasedId(dataDir);
    } finally {
      service.destroyForcibly().waitFor();
      deleteTree(dataDir);
    }
  }

  /** The next start on the data dir: the unpacked binaries as they were, and machine id 0 free at once (released, not expired). */
  static void restartReusesTheBinariesAndTheReleasedId(Path dataDir) throws Exception {
    FileTime unpacked = Files.getLastModifiedTime(marker(dataDir));
    Process again = start(dataDir, "second.log");
    try {
      awaitLog(dataDir, "second.log", again, "mfa-service listening on");
      String log = log(dataDir, "second.log");
      assertAll(log,
        () -> assertTrue(log.contains("machine id 0 leased"), "the first one's id, free again"),
        () -> assertEquals(unpacked, Files.getLastModifiedTime(marker(dataDir)), "the binaries are not unpacked again"),
        () -> assertEquals(1, unpackedBinaries(dataDir), "nor beside the first"));
      again.destroy();
      assertTrue(again.waitFor(GRACE_SECONDS, TimeUnit.SECONDS), "the second one exits too");
    } finally {
      again.destroyForcibly();
    }
  }

  @Test
  void sigtermWhileStartingEndsPromptlyAndLeavesNoPostgresRunning() throws Exception {
    Path dataDir = Files.createTempDirectory("mfa-sigterm-early");
    Process service = start(dataDir, "service.log");
    try {
      long deadline = System.currentTimeMillis() + 120_000;
      while (!Files.isDirectory(dataDir.resolve("postgres"))) {
        assertTrue(service.isAlive() && System.currentTimeMillis() < deadline, "the embedded PostgreSQL is being set up");
        Thread.sleep(20);
      }
      service.destroy();
      assertTrue(service.waitFor(GRACE_SECONDS + 15, TimeUnit.SECONDS), "the JVM exits on its own: " + log(dataDir, "service.log"));
      String log = log(dataDir, "service.log");
      assertAll(log,
        () -> assertTrue(log.contains("asked to stop (SIGTERM) while starting"), "the signal came during start-up"),
        () -> assertTrue(Set.of(0, 143).contains(service.exitValue()), "exit code " + service.exitValue()),
        () -> assertEquals(List.of(), postgresProcessesOf(dataDir), "no PostgreSQL left running"));
    } finally {
      service.destroyForcibly().waitFor();
      deleteTree(dataDir);
    }
  }

  /** Main as {@code java -jar} runs it, with only the settings given here (no database URL: the embedded one). */
  static Process start(Path dataDir, String logName) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), "dev.mfaservice.Main");
    pb.environment().keySet().removeIf(name -> name.startsWith("MFA_"));
    pb.environment().putAll(Map.of("MFA_HTTP_HOST", "127.0.0.1", "MFA_HTTP_PORT", Integer.toString(TestServer.freePort()),
      "MFA_HTTP_INSTANCES", "2", "MFA_DATA_DIR", dataDir.toString(), "MFA_HTTP_SHUTDOWN_SECONDS", Integer.toString(GRACE_SECONDS)));
    pb.redirectErrorStream(true).redirectOutput(dataDir.resolve(logName).toFile());
    return pb.start();
  }

  static void awaitLog(Path dataDir, String logName, Process service, String line) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (!log(dataDir, logName).contains(line)) {
      if (!service.isAlive() || System.currentTimeMillis() > deadline) {
        fail("no '" + line + "' (alive: " + service.isAlive() + "): " + log(dataDir, logName));
      }
      Thread.sleep(100);
    }
  }

  static String log(Path dataDir, String logName) throws IOException {
    return Files.readString(dataDir.resolve(logName));
  }

  /** PostgreSQL server processes on this data dir (their command line names it) and its pid file, polled briefly until gone. */
  static List<String> postgresProcessesOf(Path dataDir) throws InterruptedException {
    Path dir = dataDir.resolve("postgres");
    List<String> left = List.of();
    for (int i = 0; i < 50; i++) {
      left = Stream.concat(ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false)).map(p -> "pid " + p.pid()),
        Stream.of(dir.resolve("postmaster.pid")).filter(Files::exists).map(Path::toString)).toList();
      if (left.isEmpty()) {
        return left;
      }
      Thread.sleep(100);
    }
    return left;
  }

  /** zonky's finished unpackings (PG-<digest> with its .exists marker) under the data dir. */
  static long unpackedBinaries(Path dataDir) throws IOException {
    Path binaries = dataDir.resolve("postgres-binaries");
    if (!Files.isDirectory(binaries)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.list(binaries)) {
      return dirs.filter(d -> Files.exists(d.resolve(".exists")) && Files.isExecutable(d.resolve("bin").resolve("postgres"))).count();
    }
  }

  /** zonky's marker of a finished unpacking, which a later start checks before unpacking again. */
  static Path marker(Path dataDir) throws IOException {
    try (Stream<Path> dirs = Files.list(dataDir.resolve("postgres-binaries"))) {
      return dirs.map(d -> d.resolve(".exists")).filter(Files::exists).findFirst().orElseThrow();
    }
  }

  /** The data dir holds PostgreSQL's binaries (~100 MB): not left in the temp dir; kept when a PostgreSQL still runs there. */
  static void deleteTree(Path dir) throws IOException, InterruptedException {
    if (!postgresProcessesOf(dir).isEmpty()) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
