package dev.mfaservice.http;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;
import java.util.List;

/**
 * The listener: address, body limit, event-loop instances, how long a stop waits, TLS
 * ({@code tlsCert}/{@code tlsKey} empty = plain HTTP/1.1 and h2c; both set = TLS with ALPN h2 and
 * http/1.1), CORS origins, idle timeout, and the proxies whose X-Forwarded-For is believed (SEC X3;
 * empty = nobody's).
 */
public record HttpSettings(String host, int port, int bodyLimit, int instances, int shutdownSeconds, String tlsCert,
                           String tlsKey, List<String> corsOrigins, int idleTimeoutSeconds, List<String> trustedProxies) {
  public boolean tls() {
    return !tlsCert.isEmpty();
  }

  public static HttpSettings from(Settings s) {
    HttpSettings http = new HttpSettings(s.string("http.host"), s.integer("http.port", 0, 65535),
      s.integer("http.body-limit", 1024, 10 * 1024 * 1024), s.integer("http.instances", 0, 256),
      s.integer("http.shutdown-seconds", 0, 600), s.string("http.tls.cert"), s.string("http.tls.key"),
      corsOrigins(s), s.integer("http.idle-timeout-seconds", 0, 86_400), trustedProxies(s));
    if (http.tlsCert().isEmpty() != http.tlsKey().isEmpty()) {
      throw new ConfigException("MFA_HTTP_TLS_CERT and MFA_HTTP_TLS_KEY go together: set both (PEM files) or neither");
    }
    return http;
  }

  /** Exact origins (scheme://host[:port]); a wildcard would hand the API to every web page. */
  private static List<String> corsOrigins(Settings s) {
    List<String> origins = s.list("http.cors-origins");
    for (String origin : origins) {
      if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new ConfigException("MFA_HTTP_CORS_ORIGINS: '" + origin + "' is not an origin (scheme://host[:port], no path, no *)");
      }
    }
    return origins;
  }

  /** Exact IPs or CIDRs (v4 or v6); a proxy outside the list cannot name the end user's address. */
  private static List<String> trustedProxies(Settings s) {
    List<String> proxies = s.list("http.trusted-proxies");
    for (String proxy : proxies) {
      if (!TrustedProxies.isAddressOrCidr(proxy)) {
        throw new ConfigException("MFA_HTTP_TRUSTED_PROXIES: '" + proxy + "' is not an IP address or CIDR (e.g. 10.0.0.0/8)");
      }
    }
    return proxies;
  }
}
