package dev.mfaservice.app;

import dev.mfaservice.settings.ConfigException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.settings.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The settings a user can know of are the settings there are: README's table, conf/ and what Config reads agree; typos stop start-up. */
class SettingsTest {

  @Test
  void readmeTableDefaultsFileAndTheKeysConfigReadsAreTheSameSet() throws IOException {
    Settings settings = new Settings(Map.of());
    Config.load(settings);
    assertEquals(settings.defaultKeys(), new TreeSet<>(settings.keysRead()),
      "every default is read by Config.load, and nothing is read without a default");
    Set<String> documented = readmeTableVariables();
    Set<String> expected = settings.defaultKeys().stream().map(Settings::envName).collect(Collectors.toCollection(TreeSet::new));
    expected.addAll(Settings.LOGGING);
    assertEquals(expected, documented, "README's Configuration table lists exactly the settings (and logback's variables)");
  }

  @Test
  void anUnknownMfaVariableStopsStartUpNamingItAndTheLikelyOne() {
    ConfigException typo = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_MASTERKEY", "k1:x")));
    assertEquals("unknown setting MFA_MASTERKEY: no such setting (did you mean MFA_MASTER_KEY?)", typo.getMessage());
    ConfigException old = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_CRYPTO_MASTER_KEY", "k1:x")));
    assertEquals("unknown setting MFA_CRYPTO_MASTER_KEY: no such setting (did you mean MFA_MASTER_KEY?)", old.getMessage());
    ConfigException far = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_WHATEVER", "1")));
    assertEquals("unknown setting MFA_WHATEVER: no such setting", far.getMessage());
  }

  @Test
  void theFileTheLoggingAndTheTestVariablesAreNotSettingsButAllowed() {
    Config.load(Map.of("MFA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1/postgres", "MFA_TEST_ANYTHING", "x",
      "MFA_CHROMIUM", "/usr/bin/chromium", "MFA_LOG_FORMAT", "json", "MFA_LOG_LEVEL", "DEBUG", "MFA_ACCESS_LOG_LEVEL", "WARN",
      "PATH", "/usr/bin", "MFAX", "not ours"));
  }

  @Test
  void theMasterKeyIsReadFromTheDocumentedVariable() {
    assertEquals("k1:abc", Config.load(Map.of("MFA_MASTER_KEY", "k1:abc")).masterKey());
  }

  @Test
  void aConfigFileKeyThatNamesNoSettingStopsStartUp() throws IOException {
    Path file = Files.createTempFile("mfa-settings", ".properties");
    Files.writeString(file, "http.port=9000\ncrypto.master-key=k1:x\n", StandardCharsets.UTF_8);
    ConfigException e = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_CONFIG_FILE", file.toString())));
    assertEquals("MFA_CONFIG_FILE " + file + ": unknown setting 'crypto.master-key': no such setting (did you mean master-key?)",
      e.getMessage());
    Files.writeString(file, "http.port=9000\nmaster-key=k1:x\n", StandardCharsets.UTF_8);
    Config fromFile = Config.load(Map.of("MFA_CONFIG_FILE", file.toString()));
    assertEquals(9000, fromFile.http().port());
    assertEquals("k1:x", fromFile.masterKey());
  }

  @Test
  void theMachineIdIsLeasedUnlessGivenAndTheLeaseHasBounds() {
    assertTrue(Config.load(Map.of()).ids().machineId().isEmpty());
    assertEquals(60, Config.load(Map.of()).ids().leaseSeconds());
    assertEquals(7, Config.load(Map.of("MFA_IDS_MACHINE_ID", "7")).ids().machineId().getAsInt());
    ConfigException big = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_IDS_MACHINE_ID", "65536")));
    assertEquals("MFA_IDS_MACHINE_ID must be a whole number from 0 to 65535, got '65536'", big.getMessage());
    assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_IDS_LEASE_SECONDS", "2")));
  }

  @Test
  void ofSeveralBadSettingsTheSameOneIsReportedAsBeforeTheSettingsMovedToTheirPackages() {
    // the order Config read them in when it read them all itself: http, database, data dir, auth, ...
    ConfigException pool = assertThrows(ConfigException.class,
      () -> Config.load(Map.of("MFA_DATABASE_POOL_SIZE", "0", "MFA_AUTH_ALGORITHMS", "HS256")));
    assertTrue(pool.getMessage().startsWith("MFA_DATABASE_POOL_SIZE"), pool.getMessage());
    // SMS: the country codes before Twilio's settings, echoed as given
    ConfigException countries = assertThrows(ConfigException.class,
      () -> Config.load(Map.of("MFA_SMS_PROVIDER", "twilio", "MFA_SMS_ALLOWED_COUNTRY_CODES", "41, x")));
    assertEquals("MFA_SMS_ALLOWED_COUNTRY_CODES must list calling codes such as 41,49, got ' x'", countries.getMessage());
    // security keys: their own settings are read before a production instance's rule about them
    ConfigException challenge = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_AUTH_ISSUER",
      "https://issuer.example.com", "MFA_WEBAUTHN_CHALLENGE_SECONDS", "5", "MFA_SMS_PROVIDER", "")));
    assertTrue(challenge.getMessage().startsWith("MFA_WEBAUTHN_CHALLENGE_SECONDS"), challenge.getMessage());
  }

  @Test
  void transactionPoolingIsOffByDefaultAndNeedsADatabaseUrl() {
    assertEquals(false, Config.load(Map.of()).database().transactionPooling());
    ConfigException embedded = assertThrows(ConfigException.class,
      () -> Config.load(Map.of("MFA_DATABASE_TRANSACTION_POOLING", "true")));
    assertTrue(embedded.getMessage().startsWith("MFA_DATABASE_TRANSACTION_POOLING=true names a pooler"), embedded.getMessage());
    assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_DATABASE_TRANSACTION_POOLING", "yes")));
    Config pooled = Config.load(Map.of("MFA_DATABASE_URL", "postgresql://mfa:pw@bouncer:6432/mfa",
      "MFA_DATABASE_TRANSACTION_POOLING", "true"));
    assertTrue(pooled.database().transactionPooling());
    DatabaseAddress db = DatabaseAddress.fromUrl(pooled.database().url().get()).withTransactionPooler(true);
    assertEquals("jdbc:postgresql://bouncer:6432/mfa?prepareThreshold=0", db.jdbcUrl());
    assertEquals(false, db.connectOptions().getCachePreparedStatements());
    assertTrue(db.connectOptions().getUseLayer7Proxy());
    assertEquals("mfa@bouncer:6432/mfa (transaction pooler)", db.toString(), "never the password");
    assertEquals(true, db.withTransactionPooler(false).connectOptions().getCachePreparedStatements());
  }

  @Test
  void trustedProxiesAreAddressesOrCidrsAndNoneByDefault() {
    assertEquals(java.util.List.of(), Config.load(Map.of()).http().trustedProxies());
    assertEquals(java.util.List.of("10.0.0.0/8", "::1"),
      Config.load(Map.of("MFA_HTTP_TRUSTED_PROXIES", " 10.0.0.0/8, ::1 ")).http().trustedProxies());
    ConfigException name = assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_HTTP_TRUSTED_PROXIES", "proxy.internal")));
    assertEquals("MFA_HTTP_TRUSTED_PROXIES: 'proxy.internal' is not an IP address or CIDR (e.g. 10.0.0.0/8)", name.getMessage());
    assertEquals(4, Config.load(Map.of()).limits().smsPrefixHiddenDigits());
  }

  /** Every `MFA_…` name in the first cell of the rows of README's "## Configuration" table. */
  static Set<String> readmeTableVariables() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## Configuration");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    Set<String> names = new TreeSet<>();
    for (String line : section.split("\n")) {
      if (line.startsWith("| `MFA_")) {
        Matcher m = Pattern.compile("`(MFA_[A-Z0-9_]+)`").matcher(line.split("(?<!\\\\)\\|")[1]);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }
}
