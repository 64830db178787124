package dev.mfaservice.auth;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where access tokens come from: an external OIDC issuer (JWKS or introspection, with the claims
 * that carry roles and org), or, on a development instance, the built-in dev issuer.
 */
public record AuthSettings(Optional<URI> issuer, Optional<URI> jwksUrl, Optional<URI> introspectionUrl,
                           String clientId, String clientSecret, String audience, List<String> algorithms,
                           int leewaySeconds, String rolesClaim, String orgClaim, boolean devIssuer,
                           String devIssuerName) {
  public boolean external() {
    return issuer.isPresent();
  }

  public static AuthSettings from(Settings s) {
    Optional<URI> issuer = s.uri("auth.issuer", "https", "http");
    String dev = s.choice("auth.dev-issuer", "auto", "true", "false");
    boolean devIssuer = dev.equals("true") || (dev.equals("auto") && issuer.isEmpty());
    if (issuer.isPresent() && dev.equals("true")) {
      // SEC A8: the dev issuer only where no external issuer is configured.
      throw new ConfigException("MFA_AUTH_DEV_ISSUER=true cannot be combined with MFA_AUTH_ISSUER");
    }
    List<String> algs = s.list("auth.algorithms");
    for (String alg : algs) {
      if (!alg.matches("(RS|PS|ES)(256|384|512)|EdDSA")) {
        // SEC A1: never none, never a shared-secret HS* alongside a JWKS.
        throw new ConfigException("MFA_AUTH_ALGORITHMS: '" + alg + "' is not an allowed asymmetric JWS algorithm");
      }
    }
    return new AuthSettings(issuer, s.uri("auth.jwks-url", "https", "http"), s.uri("auth.introspection-url", "https", "http"),
      s.string("auth.client-id"), s.string("auth.client-secret"), s.string("auth.audience"), algs,
      s.integer("auth.leeway-seconds", 0, 60), s.string("auth.roles-claim"), s.string("auth.org-claim"),
      devIssuer, s.string("auth.dev-issuer-name"));
  }
}
