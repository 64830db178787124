package dev.mfaservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command line run to its end within a deadline, as a user types it; its exit code and output kept. */
public final class Command {
  private Command() {
  }

  public record Result(List<String> command, int exit, String out, String err) {
    public Result ok() {
      if (exit != 0) {
        throw new AssertionError(String.join(" ", command) + " → exit " + exit + "\n" + tail(err, 3000) + "\n" + tail(out, 2000));
      }
      return this;
    }

    public String line() {
      return out.strip();
    }
  }

  public static Result exec(List<String> command, Duration timeout, Map<String, String> env, Path dir) {
    try {
      Path out = Files.createTempFile("podman-out", ".txt");
      Path err = Files.createTempFile("podman-err", ".txt");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
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

  public static String tail(String text, int chars) {
    return text.length() <= chars ? text : "…" + text.substring(text.length() - chars);
  }
}
