package dev.mfaservice.webauthn;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;
import java.util.List;

/**
 * Security keys: the relying-party ids a registration or sign-in may name ({@code domain}), the exact origins the
 * browser's client data may carry, the lifetime of a challenge, and the name browsers show.
 */
public record WebAuthnSettings(List<String> rpIds, List<String> origins, int challengeSeconds, String rpName) {
  public WebAuthnSettings {
    rpIds = List.copyOf(rpIds);
    origins = List.copyOf(origins);
  }

  /**
   * A development instance ({@code dev}) defaults to localhost on the service's own {@code port}; a production one must
   * name its own (no default is safe there).
   */
  public static WebAuthnSettings from(Settings s, int port, boolean dev) {
    List<String> rpIds = s.list("webauthn.rp-ids");
    for (String rpId : rpIds) {
      if (!rpId.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
        throw new ConfigException("MFA_WEBAUTHN_RP_IDS: '" + rpId + "' is not a domain (a host name, no scheme or port)");
      }
    }
    List<String> origins = s.list("webauthn.origins");
    for (String origin : origins) {
      if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new ConfigException("MFA_WEBAUTHN_ORIGINS: '" + origin + "' is not an origin (scheme://host[:port], no path, no *)");
      }
    }
    int challengeSeconds = s.integer("webauthn.challenge-seconds", 30, 600);
    String rpName = s.string("notify.product-name");
    if (!dev && (rpIds.isEmpty() || origins.isEmpty())) {
      // A security key is bound to its relying party: guessing one here would bind every key to the wrong name.
      throw new ConfigException("MFA_WEBAUTHN_RP_IDS and MFA_WEBAUTHN_ORIGINS must be set on a production instance"
        + " (the domain users sign in on, e.g. login.example.com, and its origin https://login.example.com)");
    }
    if (dev && rpIds.isEmpty()) {
      rpIds = List.of("localhost");
    }
    if (dev && origins.isEmpty()) {
      origins = List.of("http://localhost:" + port, "https://localhost:" + port);
    }
    return new WebAuthnSettings(rpIds, origins, challengeSeconds, rpName);
  }
}
