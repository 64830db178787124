package dev.mfaservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service as a reader starts it, {@code java -jar target/mfa-service.jar} in a working
 * directory (so its data is that directory's {@code ./data}), on a free port of 127.0.0.1. Closing
 * it sends SIGTERM, as Ctrl-C would, and waits for the process to end.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(90);
  private static final Duration STOP = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final int port;

  private ServiceProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the jar in {@code workDir} with no MFA_* settings but a free port, and waits for /readyz. */
  public static ServiceProcess start(Path jar, Path workDir, String logName) {
    return start(jar, workDir, logName, Map.of());
  }

  /** The same, with these MFA_* settings. */
  public static ServiceProcess start(Path jar, Path workDir, String logName, Map<String, String> settings) {
    int port = TestServer.freePort();
    Path log = workDir.resolve(logName);
    ProcessBuilder builder = new ProcessBuilder(java(), "-jar", jar.toString()).directory(workDir.toFile())
      .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("MFA_"));
    env.put("MFA_HTTP_HOST", "127.0.0.1");
    env.put("MFA_HTTP_PORT", Integer.toString(port));
    env.putAll(settings);
    ServiceProcess service;
    try {
      service = new ServiceProcess(builder.start(), log, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      service.awaitReady();
      return service;
    } catch (RuntimeException | Error e) {
      service.close();
      throw e;
    }
  }

  /** The java of this JVM, so the service runs on the JDK the build uses. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The last lines the service wrote, for a failure message. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitReady() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + READY.toNanos();
    while (!answers200(client, readyz)) {
      if (!process.isAlive()) {
        throw new AssertionError("the service ended with exit " + process.exitValue() + " before it was ready:\n" + logTail(40));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the service was not ready within " + READY.toSeconds() + " s:\n" + logTail(40));
      }
      sleep(100);
    }
  }

  private static boolean answers200(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGTERM (the service stops its embedded PostgreSQL on it), then, if it hangs, SIGKILL. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
