package dev.mfaservice.container;

import dev.mfaservice.support.Command;

import static dev.mfaservice.container.Podman.podman;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One container of the image, started with {@code podman run -d} and the user's flags; removed on close. */
final class Container implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(120);

  final String name;
  final String baseUrl;
  private long startedAt;

  private Container(String name, String baseUrl) {
    this.name = name;
    this.baseUrl = baseUrl;
  }

  /** {@code podman run -d --name <name> <flags> <image> <args>}; {@code baseUrl}: where the host reaches its port. */
  static Container run(String name, String baseUrl, List<String> flags, String image, String... args) {
    podman(Duration.ofSeconds(30), "rm", "-f", "-i", name);
    List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name));
    command.addAll(flags);
    command.add(image);
    command.addAll(List.of(args));
    Container container = new Container(name, baseUrl);
    container.startedAt = System.nanoTime();
    podman(Duration.ofSeconds(60), command.toArray(String[]::new)).ok();
    return container;
  }

  /** A container someone else started (podman-compose), by name. */
  static Container named(String name, String baseUrl) {
    Container container = new Container(name, baseUrl);
    container.startedAt = System.nanoTime();
    return container;
  }

  /** {@code podman start} again (same volume, same settings). */
  void start() {
    startedAt = System.nanoTime();
    podman(Duration.ofSeconds(60), "start", name).ok();
  }

  /** Waits for {@code /readyz} 200; returns the milliseconds since run/start. */
  long awaitReady() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create(baseUrl + "/readyz")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + READY.toNanos();
    while (true) {
      try {
        if (client.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return (System.nanoTime() - startedAt) / 1_000_000;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (!"running".equals(state("{{.State.Status}}"))) {
        throw new AssertionError(name + " is " + state("{{.State.Status}}") + " (exit " + state("{{.State.ExitCode}}")
          + ") before it was ready:\n" + logs());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " was not ready within " + READY.toSeconds() + " s:\n" + logs());
      }
      sleep(200);
    }
  }

  String state(String format) {
    return podman(Duration.ofSeconds(30), "inspect", "--format", format, name).ok().line();
  }

  /** What the container wrote to stdout and stderr. */
  String logs() {
    Command.Result logs = podman(Duration.ofSeconds(30), "logs", name);
    return logs.out() + logs.err();
  }

  Command.Result exec(String... command) {
    List<String> args = new ArrayList<>(List.of("exec", name));
    args.addAll(List.of(command));
    return podman(Duration.ofSeconds(60), args.toArray(String[]::new));
  }

  /** {@code podman stop -t <grace>}: SIGTERM, SIGKILL after the grace. Returns the milliseconds it took. */
  long stop(int graceSeconds) {
    long start = System.nanoTime();
    podman(Duration.ofSeconds(graceSeconds + 30L), "stop", "-t", Integer.toString(graceSeconds), name).ok();
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * A directory holding a {@code java} for README's walk-through: its {@code java -jar
   * target/mfa-service.jar token …} runs inside this container, where the data dir (and so the
   * dev issuer's key) is.
   */
  Path tokenShim(Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, """
      #!/bin/sh
      # README's `java -jar target/mfa-service.jar token ...`, run where the service's data dir is
      [ "$1" = -jar ] && [ "$2" = target/mfa-service.jar ] || { echo "unexpected: java $*" >&2; exit 99; }
      shift 2
      exec podman exec %s java -jar /opt/mfa-service/mfa-service.jar "$@"
      """.formatted(name));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  /** README's first token, minted inside the container: the dev issuer's key is in its data volume. */
  String adminToken() {
    return exec("java", "-jar", "/opt/mfa-service/mfa-service.jar", "token", "--user", "admin", "--org", "instance",
      "--role", "IAM_OWNER").ok().line();
  }

  @Override
  public void close() {
    podman(Duration.ofSeconds(60), "rm", "-f", "-t", "5", name);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
