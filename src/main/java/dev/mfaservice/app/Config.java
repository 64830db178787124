package dev.mfaservice.app;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** The whole configuration, immutable, read once at start-up and passed through constructors. */
public record Config(Http http, Path dataDir, Database database, Auth auth, Ids ids, String masterKey,
                     Totp totp, Codes codes, Limits limits, Notify notifications, Smtp smtp, Sms sms,
                     Set<String> linkHosts, RecoveryCodes recoveryCodes, WebAuthn webauthn) {

  /** {@code tlsCert}/{@code tlsKey} empty = plain HTTP (HTTP/1.1 and h2c); both set = TLS with ALPN h2 and http/1.1. */
  /** {@code trustedProxies}: IPs and CIDRs whose X-Forwarded-For is believed (SEC X3); empty = nobody's. */
  public record Http(String host, int port, int bodyLimit, int instances, int shutdownSeconds, String tlsCert, String tlsKey,
                     List<String> corsOrigins, int idleTimeoutSeconds, List<String> trustedProxies) {
    public boolean tls() {
      return !tlsCert.isEmpty();
    }
  }

  /** {@code url} empty = embedded PostgreSQL in the data dir. */
  /** {@code startupWaitSeconds}: how long start-up waits for a server that refuses connections or is starting. */
  /** {@code transactionPooling}: {@code url} is a pooler in transaction mode (see {@link DatabaseAddress}). */
  public record Database(Optional<URI> url, int poolSize, int embeddedPort, int startupWaitSeconds,
                         boolean transactionPooling) {
  }

  public record Auth(Optional<URI> issuer, Optional<URI> jwksUrl, Optional<URI> introspectionUrl,
                     String clientId, String clientSecret, String audience, List<String> algorithms,
                     int leewaySeconds, String rolesClaim, String orgClaim, boolean devIssuer,
                     String devIssuerName) {
    public boolean external() {
      return issuer.isPresent();
    }
  }

  /**
   * The id generator's 16-bit machine id: {@code machineId} empty = the lowest free one, leased from the database;
   * given = that one, leased the same way (refused while another live instance holds it).
   */
  public record Ids(OptionalInt machineId, int leaseSeconds) {
  }

  /** TOTP parameters of new enrolments: HMAC algorithm (SHA1, SHA256, SHA512), digits, period. */
  /**
   * Security keys: the relying-party ids a registration or sign-in may name ({@code domain}), the exact origins the
   * browser's client data may carry, the lifetime of a challenge, and the name browsers show.
   */
  public record WebAuthn(List<String> rpIds, List<String> origins, int challengeSeconds, String rpName) {
    public WebAuthn {
      rpIds = List.copyOf(rpIds);
      origins = List.copyOf(origins);
    }
  }

  public record Totp(String issuer, String algorithm, int digits, int periodSeconds, int pendingSeconds) {
  }

  /** One kind of one-time code: its alphabet, length and lifetime. */
  public record CodeKind(String alphabet, int length, int expirySeconds) {
  }

  public record Codes(CodeKind verify, CodeKind login, int maxAttempts) {
  }

  /** Recovery codes per set: {@code defaultCount} when a request names none, at most {@code maxCount}. */
  public record RecoveryCodes(int defaultCount, int maxCount) {
  }

  /**
   * Send limits (SEC B1, B2), each per hour unless named otherwise: per address, per user, per number prefix (SMS: the
   * E.164 number without its last {@code smsPrefixHiddenDigits} digits), per country calling code (SMS), per caller (the
   * token's subject), per end-user IP (only where it is known).
   */
  public record Limits(int perAddressIntervalSeconds, int perAddressPerHour, int perUserPerHour, int smsPerPrefixPerHour,
                       int smsPrefixHiddenDigits, int smsPerCountryPerHour, int perCallerPerHour, int perIpPerHour) {
  }

  /** {@code factorChanges}: tell users when a factor is added or removed or they are locked (SEC O10). */
  public record Notify(String productName, int leaseSeconds, int sweepSeconds, int maxAttempts, int backoffBaseMillis,
                       int backoffMaxMillis, boolean factorChanges) {
  }

  /** {@code host} empty = no SMTP server; {@code tls} none | starttls | tls. */
  /** {@code caFile}: PEM certificates to trust for the server instead of the JVM's trust store; empty = the JVM's. */
  public record Smtp(String host, int port, String username, String password, String tls, String from, String caFile) {
    public boolean configured() {
      return !host.isEmpty();
    }
  }

  /** {@code provider}: "twilio", "log" or "" (none). */
  public record Sms(String provider, String defaultRegion, Set<Integer> allowedCountryCodes, Twilio twilio) {
  }

  public record Twilio(String accountSid, String authToken, String apiKey, String apiSecret, String from,
                       String messagingServiceSid, URI apiUrl) {
  }

  /** The hosts urlTemplate links may point to: exact host names, lower case; empty = see LinkRules. */
  private static Set<String> linkHosts(Settings s) {
    Set<String> hosts = new java.util.TreeSet<>();
    for (String host : s.string("notify.url-hosts").split(",")) {
      String h = host.trim().toLowerCase(java.util.Locale.ROOT);
      if (!h.isEmpty() && !h.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
        throw new ConfigException("MFA_NOTIFY_URL_HOSTS: '" + host.trim() + "' is not a host name (exact names, no scheme, port or *)");
      }
      if (!h.isEmpty()) {
        hosts.add(h);
      }
    }
    return hosts;
  }

  /** Exact origins (scheme://host[:port]); a wildcard would hand the API to every web page. */
  private static List<String> corsOrigins(Settings s) {
    List<String> origins = Arrays.stream(s.string("http.cors-origins").split(",")).map(String::trim)
      .filter(o -> !o.isEmpty()).toList();
    for (String origin : origins) {
      if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new ConfigException("MFA_HTTP_CORS_ORIGINS: '" + origin + "' is not an origin (scheme://host[:port], no path, no *)");
      }
    }
    return origins;
  }

  public static Config fromEnvironment() {
    return load(System.getenv());
  }

  public static Config load(Map<String, String> env) {
    return load(new Settings(env));
  }

  static Config load(Settings s) {
    return ProductionChecks.check(read(s));
  }

  private static Config read(Settings s) {
    Http http = new Http(s.string("http.host"), s.integer("http.port", 0, 65535),
      s.integer("http.body-limit", 1024, 10 * 1024 * 1024), s.integer("http.instances", 0, 256),
      s.integer("http.shutdown-seconds", 0, 600), s.string("http.tls.cert"), s.string("http.tls.key"),
      corsOrigins(s), s.integer("http.idle-timeout-seconds", 0, 86_400), trustedProxies(s));
    if (http.tlsCert().isEmpty() != http.tlsKey().isEmpty()) {
      throw new ConfigException("MFA_HTTP_TLS_CERT and MFA_HTTP_TLS_KEY go together: set both (PEM files) or neither");
    }
    Database db = new Database(uri(s, "database.url", "postgresql", "postgres"),
      s.integer("database.pool-size", 1, 1000), s.integer("database.embedded-port", 0, 65535),
      s.integer("database.startup-wait-seconds", 0, 3600),
      s.choice("database.transaction-pooling", "false", "true").equals("true"));
    if (db.transactionPooling() && db.url().isEmpty()) {
      throw new ConfigException("MFA_DATABASE_TRANSACTION_POOLING=true names a pooler in front of MFA_DATABASE_URL, "
        + "which is empty (the embedded PostgreSQL has no pooler)");
    }
    return new Config(http, Path.of(s.string("data.dir")), db, auth(s), ids(s),
      s.string("master-key"), totp(s), codes(s), limits(s),
      new Notify(s.string("notify.product-name"), s.integer("notify.lease-seconds", 1, 3600),
        s.integer("notify.sweep-seconds", 1, 3600), s.integer("notify.max-attempts", 1, 100),
        s.integer("notify.backoff-base-millis", 10, 600_000), s.integer("notify.backoff-max-millis", 10, 86_400_000),
        s.choice("notify.factor-changes", "true", "false").equals("true")),
      new Smtp(s.string("smtp.host"), s.integer("smtp.port", 1, 65535), s.string("smtp.username"),
        s.string("smtp.password"), s.choice("smtp.tls", "none", "starttls", "tls"), s.string("smtp.from"),
        s.string("smtp.ca-file")),
      sms(s, auth(s).devIssuer()), linkHosts(s), recoveryCodes(s), webauthn(s, http.port(), auth(s).devIssuer()));
  }

  private static RecoveryCodes recoveryCodes(Settings s) {
    int max = s.integer("recovery-codes.max-count", 1, 100);
    int count = s.integer("recovery-codes.default-count", 1, 100);
    if (count > max) {
      throw new ConfigException("MFA_RECOVERY_CODES_DEFAULT_COUNT (" + count + ") must not exceed MFA_RECOVERY_CODES_MAX_COUNT ("
        + max + ")");
    }
    return new RecoveryCodes(count, max);
  }

  private static Limits limits(Settings s) {
    return new Limits(s.integer("limits.per-address-interval-seconds", 0, 3600),
      s.integer("limits.per-address-per-hour", 1, 10_000), s.integer("limits.per-user-per-hour", 1, 10_000),
      s.integer("limits.sms-per-prefix-per-hour", 1, 1_000_000), s.integer("limits.sms-prefix-hidden-digits", 1, 9),
      s.integer("limits.sms-per-country-per-hour", 1, 10_000_000), s.integer("limits.per-caller-per-hour", 1, 10_000_000),
      s.integer("limits.per-ip-per-hour", 1, 1_000_000));
  }

  /** Exact IPs or CIDRs (v4 or v6); a proxy outside the list cannot name the end user's address. */
  private static List<String> trustedProxies(Settings s) {
    List<String> proxies = Arrays.stream(s.string("http.trusted-proxies").split(",")).map(String::trim)
      .filter(p -> !p.isEmpty()).toList();
    for (String proxy : proxies) {
      if (!dev.mfaservice.http.TrustedProxies.isAddressOrCidr(proxy)) {
        throw new ConfigException("MFA_HTTP_TRUSTED_PROXIES: '" + proxy + "' is not an IP address or CIDR (e.g. 10.0.0.0/8)");
      }
    }
    return proxies;
  }

  private static Ids ids(Settings s) {
    OptionalInt id = s.string("ids.machine-id").isEmpty() ? OptionalInt.empty()
      : OptionalInt.of(s.integer("ids.machine-id", 0, 65535));
    return new Ids(id, s.integer("ids.lease-seconds", 3, 3600));
  }

  private static Sms sms(Settings s, boolean dev) {
    String chosen = s.choice("sms.provider", "", "twilio", "log");
    String provider = chosen.isEmpty() && dev ? "log" : chosen;
    if (provider.equals("log") && !dev) {
      throw new ConfigException("MFA_SMS_PROVIDER=log is for development instances only (the dev issuer is off)");
    }
    String region = s.string("phone.default-region").toUpperCase();
    if (!region.isEmpty() && !com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
      throw new ConfigException("MFA_PHONE_DEFAULT_REGION: '" + region + "' is not a region libphonenumber knows");
    }
    Set<Integer> countries = new java.util.TreeSet<>();
    for (String code : s.string("sms.allowed-country-codes").split(",")) {
      if (!code.isBlank()) {
        try {
          countries.add(Integer.parseInt(code.trim().replace("+", "")));
        } catch (NumberFormatException e) {
          throw new ConfigException("MFA_SMS_ALLOWED_COUNTRY_CODES must list calling codes such as 41,49, got '" + code + "'");
        }
      }
    }
    Twilio twilio = new Twilio(s.string("twilio.account-sid"), s.string("twilio.auth-token"), s.string("twilio.api-key"),
      s.string("twilio.api-secret"), s.string("twilio.from"), s.string("twilio.messaging-service-sid"),
      uri(s, "twilio.api-url", "https", "http").orElse(URI.create("https://api.twilio.com")));
    if (provider.equals("twilio")) {
      requireTwilio(twilio);
    }
    return new Sms(provider, region, countries, twilio);
  }

  private static void requireTwilio(Twilio t) {
    if (t.accountSid().isEmpty()) {
      throw new ConfigException("MFA_SMS_PROVIDER=twilio needs MFA_TWILIO_ACCOUNT_SID");
    }
    if (t.authToken().isEmpty() && (t.apiKey().isEmpty() || t.apiSecret().isEmpty())) {
      throw new ConfigException("MFA_SMS_PROVIDER=twilio needs MFA_TWILIO_AUTH_TOKEN, or MFA_TWILIO_API_KEY and MFA_TWILIO_API_SECRET");
    }
    if (t.from().isEmpty() == t.messagingServiceSid().isEmpty()) {
      throw new ConfigException("MFA_SMS_PROVIDER=twilio needs exactly one of MFA_TWILIO_FROM and MFA_TWILIO_MESSAGING_SERVICE_SID");
    }
  }

  private static Codes codes(Settings s) {
    CodeKind verify = codeKind(s, "codes.verify", 86_400);
    // SEC O2: login codes live at most 10 minutes.
    CodeKind login = codeKind(s, "codes.login", 600);
    return new Codes(verify, login, s.integer("codes.max-attempts", 1, 10));
  }

  private static CodeKind codeKind(Settings s, String prefix, int maxExpiry) {
    String alphabet = s.string(prefix + ".alphabet");
    int length = s.integer(prefix + ".length", 4, 64);
    if (alphabet.chars().distinct().count() != alphabet.length() || alphabet.length() < 2) {
      throw new ConfigException(Settings.envName(prefix + ".alphabet") + " must list at least 2 distinct characters");
    }
    // SEC O1: at least 20 bits (six decimal digits).
    if (length * Math.log(alphabet.length()) / Math.log(2) < 19.9) {
      throw new ConfigException(Settings.envName(prefix + ".length") + ": " + length + " characters of "
        + alphabet.length() + " give fewer than 20 bits");
    }
    return new CodeKind(alphabet, length, s.integer(prefix + ".expiry-seconds", 1, maxExpiry));
  }


  /** Dev instances default to localhost on the service's own port; production ones name theirs (ProductionChecks). */
  private static WebAuthn webauthn(Settings s, int port, boolean dev) {
    List<String> rpIds = list(s, "webauthn.rp-ids");
    for (String rpId : rpIds) {
      if (!rpId.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
        throw new ConfigException("MFA_WEBAUTHN_RP_IDS: '" + rpId + "' is not a domain (a host name, no scheme or port)");
      }
    }
    List<String> origins = list(s, "webauthn.origins");
    for (String origin : origins) {
      if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new ConfigException("MFA_WEBAUTHN_ORIGINS: '" + origin + "' is not an origin (scheme://host[:port], no path, no *)");
      }
    }
    if (dev && rpIds.isEmpty()) {
      rpIds = List.of("localhost");
    }
    if (dev && origins.isEmpty()) {
      origins = List.of("http://localhost:" + port, "https://localhost:" + port);
    }
    return new WebAuthn(rpIds, origins, s.integer("webauthn.challenge-seconds", 30, 600), s.string("notify.product-name"));
  }

  private static List<String> list(Settings s, String key) {
    return Arrays.stream(s.string(key).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static Totp totp(Settings s) {
    String issuer = s.string("totp.issuer");
    if (issuer.isEmpty() || issuer.contains(":") || issuer.length() > 100) {
      // SEC T8: the issuer is the label prefix before ':' in the otpauth URI.
      throw new ConfigException("MFA_TOTP_ISSUER must be 1-100 characters without ':', got '" + issuer + "'");
    }
    return new Totp(issuer, s.choice("totp.algorithm", "sha1", "sha256", "sha512").toUpperCase(),
      s.integer("totp.digits", 6, 8), s.integer("totp.period-seconds", 15, 120), s.integer("totp.pending-seconds", 60, 86400));
  }

  private static Auth auth(Settings s) {
    Optional<URI> issuer = uri(s, "auth.issuer", "https", "http");
    String dev = s.choice("auth.dev-issuer", "auto", "true", "false");
    boolean devIssuer = dev.equals("true") || (dev.equals("auto") && issuer.isEmpty());
    if (issuer.isPresent() && dev.equals("true")) {
      // SEC A8: the dev issuer only where no external issuer is configured.
      throw new ConfigException("MFA_AUTH_DEV_ISSUER=true cannot be combined with MFA_AUTH_ISSUER");
    }
    List<String> algs = Arrays.stream(s.string("auth.algorithms").split(","))
      .map(String::trim).filter(a -> !a.isEmpty()).toList();
    for (String alg : algs) {
      if (!alg.matches("(RS|PS|ES)(256|384|512)|EdDSA")) {
        // SEC A1: never none, never a shared-secret HS* alongside a JWKS.
        throw new ConfigException("MFA_AUTH_ALGORITHMS: '" + alg + "' is not an allowed asymmetric JWS algorithm");
      }
    }
    return new Auth(issuer, uri(s, "auth.jwks-url", "https", "http"), uri(s, "auth.introspection-url", "https", "http"),
      s.string("auth.client-id"), s.string("auth.client-secret"), s.string("auth.audience"), algs,
      s.integer("auth.leeway-seconds", 0, 60), s.string("auth.roles-claim"), s.string("auth.org-claim"),
      devIssuer, s.string("auth.dev-issuer-name"));
  }

  private static Optional<URI> uri(Settings s, String key, String... schemes) {
    String raw = s.string(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(raw);
      if (uri.getScheme() == null || !Arrays.asList(schemes).contains(uri.getScheme()) || uri.getHost() == null) {
        throw new ConfigException(Settings.envName(key) + " must be a " + String.join(" or ", schemes)
          + " URL with a host, got '" + redact(raw) + "'");
      }
      return Optional.of(uri);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(Settings.envName(key) + " is not a valid URL: '" + redact(raw) + "'");
    }
  }

  /** A URL may carry a password: never echo it. */
  static String redact(String url) {
    return url.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
  }
}
