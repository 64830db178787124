package dev.mfaservice.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret kept in the data dir (mode 0600), made on first use. Replicas that share a data volume
 * may start together: the file appears whole or not at all (written beside it, then hard-linked
 * into place, which fails if another process got there first), so every process reads the one
 * secret that won and none reads a half-written file. Blocking: start-up only.
 */
public final class SecretFiles {
  private SecretFiles() {
  }

  public static String readOrCreate(Path file, Supplier<String> create) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path draft = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".new",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(draft, create.get(), StandardCharsets.UTF_8);
        Files.createLink(file, draft);
      } catch (FileAlreadyExistsException lost) {
        // another process made it first: its secret is the one
      } finally {
        Files.deleteIfExists(draft);
      }
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
