package dev.mfaservice.webauthn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mfaservice.crypto.FastEcdsa;
import java.security.Security;
import java.security.Signature;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ceremony brings its ES256 check with it: whatever ran before, a new ceremony's keys are checked by FastEcdsa. */
class WebAuthnCeremonyProviderTest {
  @Test
  void aCeremonyInstallsTheFastEs256Check() throws Exception {
    Security.removeProvider(FastEcdsa.NAME);
    assertNull(Security.getProvider(FastEcdsa.NAME));
    new WebAuthnCeremony(List.of("https://example.com"));
    assertEquals(FastEcdsa.NAME, Signature.getInstance("SHA256withECDSA").getProvider().getName());
  }
}
