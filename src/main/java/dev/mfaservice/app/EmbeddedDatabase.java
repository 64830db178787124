package dev.mfaservice.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database of a fresh machine: an embedded PostgreSQL (zonky) whose data lives in
 * {@code <data dir>/postgres}, so it survives restarts. Started and stopped from Main's thread.
 * <p>
 * Its binaries are unpacked into {@code <data dir>/postgres-binaries/PG-<digest>} (once: zonky's
 * {@code .exists} marker there tells a later start to reuse them), not into java.io.tmpdir, which a
 * container with a read-only root file system mounts {@code noexec}. zonky registers no shutdown
 * hook of its own: the application's shutdown stops this database last, after it released its
 * machine id in it.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedDatabase start(Path dataDir, int port) {
    Path dir = dataDir.resolve("postgres").toAbsolutePath();
    Path binaries = dataDir.resolve("postgres-binaries").toAbsolutePath();
    try {
      Files.createDirectories(dir.getParent());
      ownerOnly(binaries);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setOverrideWorkingDirectory(binaries.toFile())
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "200");
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedDatabase started = new EmbeddedDatabase(builder.start());
      // zonky adds write permission for everyone to its working directory (setWritable(true, false));
      // without search permission that lets no one else in, but make it the owner's alone again:
      // the binaries that run come from here
      ownerOnly(binaries);
      return started;
    } catch (IOException | RuntimeException e) {
      throw new StartupException("cannot start the embedded PostgreSQL in " + dir + ": " + rootMessage(e));
    }
  }

  public DatabaseAddress address() {
    return new DatabaseAddress("127.0.0.1", postgres.getPort(), "postgres", "postgres", "");
  }

  /** Stops the server (pg_ctl stop -m fast) and waits for it; idempotent. */
  @Override
  public void close() {
    try {
      postgres.close();
      LOG.info("embedded PostgreSQL stopped");
    } catch (IOException e) {
      throw new StartupException("cannot stop the embedded PostgreSQL: " + e.getMessage());
    }
  }

  private static void ownerOnly(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
