package dev.mfaservice.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Raw settings: the defaults packaged from {@code conf/}, then an optional file named by
 * {@code MFA_CONFIG_FILE}, then environment variables named after the keys. Typed reading of
 * each value, with errors that name the variable a user would set.
 */
final class Settings {
  private static final String DEFAULTS = "conf/mfa-service.properties";
  private final Properties values = new Properties();
  private final Map<String, String> env;

  Settings(Map<String, String> env) {
    this.env = env;
    load(values);
    String file = env.get("MFA_CONFIG_FILE");
    if (file != null && !file.isBlank()) {
      loadFile(Path.of(file));
    }
  }

  static String envName(String key) {
    return "MFA_" + key.toUpperCase().replace('.', '_').replace('-', '_');
  }

  String string(String key) {
    String fromEnv = env.get(envName(key));
    String value = fromEnv != null ? fromEnv : values.getProperty(key);
    if (value == null) {
      throw new ConfigException("missing setting " + envName(key) + " (" + key + ")");
    }
    return value.trim();
  }

  int integer(String key, int min, int max) {
    String raw = string(key);
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(envName(key) + " must be a whole number from " + min + " to " + max
        + ", got '" + raw + "'");
    }
  }

  String choice(String key, String... allowed) {
    String value = string(key).toLowerCase();
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw new ConfigException(envName(key) + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
  }

  private static void load(Properties into) {
    try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new ConfigException("the packaged defaults " + DEFAULTS + " are missing from the class path");
      }
      into.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("cannot read the packaged defaults " + DEFAULTS + ": " + e.getMessage());
    }
  }

  private void loadFile(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      values.load(in);
    } catch (IOException e) {
      throw new ConfigException("MFA_CONFIG_FILE: cannot read " + file + ": " + e.getMessage());
    }
  }
}
