package dev.mfaservice.support;

import dev.mfaservice.app.DatabaseAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Debian's PgBouncer in transaction pooling mode in front of a test PostgreSQL server, as an
 * operator runs it (deploy/pgbouncer/pgbouncer.ini, rendered): every database name of that server through one port ({@code *}), each
 * transaction on whichever server connection is free. Run as {@code postgres} when we are root
 * (PgBouncer refuses root). Its log goes to {@code target/pgbouncer.log}.
 */
public final class PgBouncer {
  /** The system property that sends the storage of every test through PgBouncer (the pom's pgbouncer run). */
  public static final String PROPERTY = "mfa.test.pgbouncer";

  /** The example operators copy, rendered with the test's ports. */
  private static final Path TEMPLATE = Path.of("deploy/pgbouncer/pgbouncer.ini");
  private final Process process;
  private final int port;

  private PgBouncer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static boolean requested() {
    return Boolean.getBoolean(PROPERTY);
  }

  /** Starts one in front of {@code server}; stopped when the JVM ends. */
  public static PgBouncer start(DatabaseAddress server) {
    Path binary = Prerequisites.onPath("pgbouncer");
    if (binary == null && Files.isExecutable(Path.of("/usr/sbin/pgbouncer"))) {
      binary = Path.of("/usr/sbin/pgbouncer");
    }
    Prerequisites.require(binary != null, "pgbouncer is not installed (Debian: apt-get install pgbouncer)");
    try {
      Path dir = Files.createTempDirectory("mfa-pgbouncer", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
      int port = TestServer.freePort();
      Files.writeString(dir.resolve("userlist.txt"), "\"" + server.user() + "\" \"" + server.password() + "\"\n");
      String template = Files.readString(TEMPLATE);
      Map<String, String> values = Map.of("LISTEN_ADDR", "127.0.0.1", "LISTEN_PORT", Integer.toString(port),
        "SERVER_HOST", server.host(), "SERVER_PORT", Integer.toString(server.port()), "AUTH_TYPE", "trust",
        "AUTH_FILE", dir.resolve("userlist.txt").toString(),
        // test databases come and go: do not keep server connections to the dropped ones
        "SERVER_IDLE_TIMEOUT", "5");
      for (Map.Entry<String, String> v : values.entrySet()) {
        template = template.replace("@" + v.getKey() + "@", v.getValue());
      }
      String ini = template.lines().filter(l -> !l.startsWith(";")).collect(Collectors.joining("\n"));
      if (ini.contains("@")) {
        throw new IllegalStateException("placeholders left in " + TEMPLATE + ": " + ini);
      }
      Files.writeString(dir.resolve("pgbouncer.ini"), ini + "\n");
      List<String> command = new ArrayList<>(List.of(binary.toString()));
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of("-u", "postgres"));
      }
      command.add(dir.resolve("pgbouncer.ini").toString());
      Path log = Path.of("target", "pgbouncer.log").toAbsolutePath();
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      PgBouncer bouncer = new PgBouncer(process, port);
      bouncer.awaitListening(log);
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code db} as reached through this PgBouncer: same name and login, our port, transaction pooling on. */
  public DatabaseAddress front(DatabaseAddress db) {
    return new DatabaseAddress("127.0.0.1", port, db.database(), db.user(), db.password(), true);
  }

  private void awaitListening(Path log) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ":\n"
          + Command.tail(Files.readString(log), 2000));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException("pgbouncer did not listen on " + port + " within 10 s:\n"
      + Command.tail(Files.readString(log), 2000));
  }
}
