package dev.mfaservice.app;

import dev.mfaservice.settings.ConfigException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A production instance talks to its issuer and its SMS provider over https; plain http only to this machine. */
class ProductionChecksTest {

  private static Map<String, String> production(String issuer) {
    Map<String, String> env = new HashMap<>();
    env.put("MFA_AUTH_ISSUER", issuer);
    env.put("MFA_WEBAUTHN_RP_IDS", "login.example.com");
    env.put("MFA_WEBAUTHN_ORIGINS", "https://login.example.com");
    return env;
  }

  @Test
  void aProductionInstanceNamesItsRelyingParty() {
    for (String missing : new String[] {"MFA_WEBAUTHN_RP_IDS", "MFA_WEBAUTHN_ORIGINS"}) {
      Map<String, String> env = production("https://idp.example.com");
      env.remove(missing);
      ConfigException e = assertThrows(ConfigException.class, () -> Config.load(env));
      assertEquals("MFA_WEBAUTHN_RP_IDS and MFA_WEBAUTHN_ORIGINS must be set on a production instance (the domain users"
        + " sign in on, e.g. login.example.com, and its origin https://login.example.com)", e.getMessage());
    }
    Config config = Config.load(production("https://idp.example.com"));
    assertEquals(java.util.List.of("login.example.com"), config.webauthn().rpIds());
    assertEquals(java.util.List.of("https://login.example.com"), config.webauthn().origins());
    Config dev = Config.load(Map.of("MFA_HTTP_PORT", "9443"));
    assertEquals(java.util.List.of("localhost"), dev.webauthn().rpIds());
    assertEquals(java.util.List.of("http://localhost:9443", "https://localhost:9443"), dev.webauthn().origins());
    assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_WEBAUTHN_ORIGINS", "https://*.example.com")));
    assertThrows(ConfigException.class, () -> Config.load(Map.of("MFA_WEBAUTHN_RP_IDS", "https://example.com")));
  }

  @Test
  void plainHttpToAnotherHostStopsStartUpNamingTheVariable() {
    ConfigException issuer = assertThrows(ConfigException.class, () -> Config.load(production("http://idp.example.com")));
    assertEquals("MFA_AUTH_ISSUER must be an https URL on a production instance (http only to this machine), got http://idp.example.com",
      issuer.getMessage());
    Map<String, String> jwks = production("https://idp.example.com");
    jwks.put("MFA_AUTH_JWKS_URL", "http://keys.example.com/jwks");
    assertThrows(ConfigException.class, () -> Config.load(jwks));
    Map<String, String> twilio = production("https://idp.example.com");
    twilio.putAll(Map.of("MFA_SMS_PROVIDER", "twilio", "MFA_TWILIO_ACCOUNT_SID", "AC1", "MFA_TWILIO_AUTH_TOKEN", "t",
      "MFA_TWILIO_FROM", "+15005550006", "MFA_TWILIO_API_URL", "http://user:secret@sms.example.com"));
    ConfigException sms = assertThrows(ConfigException.class, () -> Config.load(twilio));
    assertEquals("MFA_TWILIO_API_URL must be an https URL on a production instance (http only to this machine), "
      + "got http://user:***@sms.example.com", sms.getMessage());
  }

  @Test
  void plainHttpToThisMachineOrOnADevelopmentInstanceIsAllowed() {
    Config.load(production("http://127.0.0.1:8081"));
    Config.load(production("http://localhost:8081"));
    Config.load(Map.of("MFA_SMS_PROVIDER", "twilio", "MFA_TWILIO_ACCOUNT_SID", "AC1", "MFA_TWILIO_AUTH_TOKEN", "t",
      "MFA_TWILIO_FROM", "+15005550006", "MFA_TWILIO_API_URL", "http://sms.example.com"));
  }
}
