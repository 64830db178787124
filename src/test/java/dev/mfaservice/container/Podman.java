package dev.mfaservice.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line, as a user types it (no API socket, no library): each call runs one
 * command to its end within a deadline and keeps its exit code and output.
 */
final class Podman {
  static final Path PROJECT = Path.of("").toAbsolutePath();

  private Podman() {
  }

  record Result(List<String> command, int exit, String out, String err) {
    Result ok() {
      if (exit != 0) {
        throw new AssertionError(String.join(" ", command) + " → exit " + exit + "\n" + tail(err, 3000) + "\n" + tail(out, 2000));
      }
      return this;
    }

    String line() {
      return out.strip();
    }
  }

  static Result podman(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(Arrays.asList(args));
    return exec(command, timeout, Map.of(), PROJECT);
  }

  static Result exec(List<String> command, Duration timeout, Map<String, String> env, Path dir) {
    try {
      Path out = Files.createTempFile("podman-out", ".txt");
      Path err = Files.createTempFile("podman-err", ".txt");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        // podman build writes Docker's image format, which keeps HEALTHCHECK (OCI drops it): what Docker users get
        builder.environment().put("BUILDAH_FORMAT", "docker");
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s\n"
            + tail(Files.readString(err), 3000));
        }
        return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String tail(String text, int chars) {
    return text.length() <= chars ? text : "…" + text.substring(text.length() - chars);
  }
}
