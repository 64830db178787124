package dev.mfaservice.crypto;

import dev.mfaservice.settings.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the keyring comes from: MFA_MASTER_KEY, else a development key generated into the data dir (0600). */
public final class MasterKeys {
  private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);
  static final String DEV_FILE = "master-keys";

  private MasterKeys() {
  }

  /** Blocking: Main's thread only. */
  public static Keyring load(String setting, Path dataDir, SecureRandom random) {
    if (!setting.isBlank()) {
      return Keyring.parse(setting, random);
    }
    Path file = dataDir.resolve(DEV_FILE);
    try {
      String keys = SecretFiles.readOrCreate(file, () -> {
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] id = new byte[6];
        random.nextBytes(id);
        return "dev-" + Base64.getUrlEncoder().withoutPadding().encodeToString(id) + ":"
          + Base64.getEncoder().encodeToString(key) + "\n";
      });
      LOG.warn("no MFA_MASTER_KEY: secrets are encrypted under the development key in {}; set MFA_MASTER_KEY in production", file);
      return Keyring.parse(keys.trim(), random);
    } catch (IOException e) {
      throw new ConfigException("cannot read or create the development master key " + file + ": " + e.getMessage());
    }
  }
}
