package dev.mfaservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whose X-Forwarded-For is believed, and which of its addresses is the end user's (SEC X3). */
class TrustedProxiesTest {
  static final TrustedProxies PROXIES = new TrustedProxies(List.of("127.0.0.1", "10.0.0.0/8", "2001:db8::/32"));

  @ParameterizedTest(name = "from {0} with ''{1}'' → {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
    "127.0.0.1   | 203.0.113.7                      | 203.0.113.7",
    "127.0.0.1   | 198.51.100.1, 203.0.113.7        | 203.0.113.7",
    "127.0.0.1   | 203.0.113.7, 10.1.2.3            | 203.0.113.7",
    "10.9.9.9    | 2001:0db9::1                     | 2001:db9:0:0:0:0:0:1",
    "127.0.0.1   | 10.1.1.1, 10.2.2.2               | -",
    "127.0.0.1   | not-an-ip                        | -",
    "127.0.0.1   | example.com                      | -",
    "127.0.0.1   | -                                | -",
    "192.0.2.1   | 203.0.113.7                      | -",
    "11.0.0.1    | 203.0.113.7                      | -",
    "2001:db8::5 | 203.0.113.7                      | 203.0.113.7",
  })
  void onlyATrustedProxyNamesTheEndUser(String remote, String forwardedFor, String expected) {
    assertEquals(expected, PROXIES.endUserIp(remote, forwardedFor));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"10.0.0.0/8, true", "127.0.0.1, true", "::1, true", "2001:db8::/32, true", "10.0.0.0/33, false",
    "10.0.0.0/x, false", "localhost, false", "proxy.internal, false", "'', false", "300.1.1.1, false"})
  void settingsAreAddressesOrCidrs(String value, boolean valid) {
    assertEquals(valid, TrustedProxies.isAddressOrCidr(value));
  }

  @ParameterizedTest(name = "nobody trusted: {0}")
  @CsvSource({"127.0.0.1", "10.0.0.1"})
  void withoutTrustedProxiesTheHeaderIsNeverBelieved(String remote) {
    assertEquals(null, new TrustedProxies(List.of()).endUserIp(remote, "203.0.113.7"));
  }
}
