package dev.mfaservice.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Raw settings: the defaults packaged from {@code conf/}, then an optional file named by
 * {@code MFA_CONFIG_FILE}, then environment variables named after the keys. Typed reading of
 * each value, with errors that name the variable a user would set. A variable or file key that
 * names no setting stops start-up: a typo must not leave a default silently in force.
 */
public final class Settings {
  private static final String DEFAULTS = "conf/mfa-service.properties";
  /** MFA_* variables that are not settings of this class: the file, logback's, and the tests' and tools'. */
  public static final Set<String> LOGGING = Set.of("MFA_LOG_FORMAT", "MFA_LOG_LEVEL", "MFA_ACCESS_LOG_LEVEL");
  private static final Set<String> NOT_SETTINGS = Set.of("MFA_CONFIG_FILE", "MFA_CHROMIUM");
  private static final String TEST_PREFIX = "MFA_TEST_";

  private final Properties defaults = new Properties();
  private final Properties values = new Properties();
  private final Map<String, String> env;
  private final Set<String> read = new TreeSet<>();

  public Settings(Map<String, String> env) {
    this.env = env;
    load(defaults);
    values.putAll(defaults);
    String file = env.get("MFA_CONFIG_FILE");
    if (file != null && !file.isBlank()) {
      loadFile(Path.of(file));
    }
    refuseUnknownVariables();
  }

  public static String envName(String key) {
    return "MFA_" + key.toUpperCase().replace('.', '_').replace('-', '_');
  }

  /** The keys of the packaged defaults: every setting there is. */
  public Set<String> defaultKeys() {
    return new TreeSet<>(defaults.stringPropertyNames());
  }

  /** The keys asked for so far (by the settings records, composed by the app's Config): each must have a default, each default must be asked for. */
  public Set<String> keysRead() {
    return Set.copyOf(read);
  }

  public String string(String key) {
    read.add(key);
    String fromEnv = env.get(envName(key));
    String value = fromEnv != null ? fromEnv : values.getProperty(key);
    if (value == null) {
      throw new ConfigException("missing setting " + envName(key) + " (" + key + ")");
    }
    return value.trim();
  }

  public int integer(String key, int min, int max) {
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

  public String choice(String key, String... allowed) {
    String value = string(key).toLowerCase();
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw new ConfigException(envName(key) + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
  }

  /** true or false. */
  public boolean flag(String key) {
    return choice(key, "true", "false").equals("true");
  }

  /** A comma-separated list, each item trimmed, empty items dropped. */
  public List<String> list(String key) {
    return Arrays.stream(string(key).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  /** A URL with one of {@code schemes} and a host; empty = none. A password in it is never echoed. */
  public Optional<URI> uri(String key, String... schemes) {
    String raw = string(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(raw);
      if (uri.getScheme() == null || !Arrays.asList(schemes).contains(uri.getScheme()) || uri.getHost() == null) {
        throw new ConfigException(envName(key) + " must be a " + String.join(" or ", schemes)
          + " URL with a host, got '" + redact(raw) + "'");
      }
      return Optional.of(uri);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(envName(key) + " is not a valid URL: '" + redact(raw) + "'");
    }
  }

  /** A URL may carry a password: never echo it. */
  public static String redact(String url) {
    return url.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
  }

  private void refuseUnknownVariables() {
    Set<String> known = new TreeSet<>(LOGGING);
    known.addAll(NOT_SETTINGS);
    defaults.stringPropertyNames().forEach(k -> known.add(envName(k)));
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith("MFA_") && !name.startsWith(TEST_PREFIX) && !known.contains(name)) {
        throw new ConfigException("unknown setting " + name + ": no such setting" + SpellingHint.closest(name, known));
      }
    }
    for (String key : new TreeSet<>(values.stringPropertyNames())) {
      if (!defaults.containsKey(key)) {
        throw new ConfigException("MFA_CONFIG_FILE " + env.get("MFA_CONFIG_FILE") + ": unknown setting '" + key
          + "': no such setting" + SpellingHint.closest(key, defaults.stringPropertyNames()));
      }
    }
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
