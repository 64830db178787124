package dev.mfaservice.container;

import dev.mfaservice.support.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The podman command line, as a user types it (no API socket, no library): each call runs one
 * command to its end within a deadline and keeps its exit code and output.
 */
final class Podman {
  static final Path PROJECT = Path.of("").toAbsolutePath();

  private Podman() {
  }

  static Command.Result podman(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(Arrays.asList(args));
    // podman build writes Docker's image format, which keeps HEALTHCHECK (OCI drops it): what Docker users get
    return Command.exec(command, timeout, Map.of("BUILDAH_FORMAT", "docker"), PROJECT);
  }
}
