package dev.mfaservice.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The otpauth URI against Google's key-uri format, parsed back as an authenticator app would. */
class OtpAuthUriTest {

  @Test
  void seedExampleShape() {
    String uri = OtpAuthUri.of("ZITADEL", "gigi@acme.zitadel.cloud", "TJOPWSDYILLHXFV4MLKNNJOWFG7VSDCK",
      new TotpParameters("SHA1", 6, 30));
    assertEquals("otpauth://totp/ZITADEL:gigi@acme.zitadel.cloud?algorithm=SHA1&digits=6&issuer=ZITADEL&period=30"
      + "&secret=TJOPWSDYILLHXFV4MLKNNJOWFG7VSDCK", uri);
  }

  @Test
  void spacesAndSpecialCharactersArePercentEncodedAndParseBack() {
    String uri = OtpAuthUri.of("Acme Corp & Co", "jürg:o+1@acme.test", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
      new TotpParameters("SHA256", 8, 60));
    URI parsed = URI.create(uri);
    assertEquals("otpauth", parsed.getScheme());
    assertEquals("totp", parsed.getHost());
    assertEquals("/Acme%20Corp%20%26%20Co:j%C3%BCrg%3Ao%2B1@acme.test", parsed.getRawPath());
    String label = parsed.getRawPath().substring(1);
    String[] parts = label.split(":", -1);
    assertEquals(2, parts.length, "the label splits into issuer and account exactly once");
    assertEquals("Acme Corp & Co", decode(parts[0]));
    assertEquals("jürg:o+1@acme.test", decode(parts[1]));
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : parsed.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], decode(kv[1]));
    }
    assertEquals(Map.of("algorithm", "SHA256", "digits", "8", "issuer", "Acme Corp & Co", "period", "60",
      "secret", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), query);
  }

  private static String decode(String s) {
    // URLDecoder reads '+' as space; the URI has none, as %2B shows.
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
