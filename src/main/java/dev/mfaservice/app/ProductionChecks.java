package dev.mfaservice.app;

import dev.mfaservice.settings.ConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a production instance (the dev issuer off) refuses to start with: a plain-http URL for the
 * token issuer, its keys, the introspection endpoint or the SMS provider, where a network attacker
 * could swap keys or read credentials and codes. Plain http stays possible to this machine only
 * (a sidecar or local proxy). (A capability's own production rules live with its settings, e.g.
 * WebAuthnSettings.)
 */
final class ProductionChecks {
  private ProductionChecks() {
  }

  static Config check(Config config) {
    if (config.auth().devIssuer()) {
      return config;
    }
    Map<String, Optional<URI>> urls = new LinkedHashMap<>();
    urls.put("MFA_AUTH_ISSUER", config.auth().issuer());
    urls.put("MFA_AUTH_JWKS_URL", config.auth().jwksUrl());
    urls.put("MFA_AUTH_INTROSPECTION_URL", config.auth().introspectionUrl());
    urls.put("MFA_TWILIO_API_URL", Optional.of(config.sms().twilio().apiUrl()));
    urls.forEach((name, url) -> url.filter(u -> "http".equals(u.getScheme()) && !loopback(u.getHost())).ifPresent(u -> {
      throw new ConfigException(name + " must be an https URL on a production instance (http only to this machine), got "
        + Config.redact(u.toString()));
    }));
    return config;
  }

  private static boolean loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // a literal address only: a name is not resolved here
      return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?") && InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
