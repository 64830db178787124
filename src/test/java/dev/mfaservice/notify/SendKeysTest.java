package dev.mfaservice.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The number prefix SMS pumping is counted by: E.164 without its last N digits, at least 6 digits kept (SEC B2). */
class SendKeysTest {

  @ParameterizedTest(name = "{0} without {1} → {2}")
  @CsvSource({"+41791234567, 4, +4179123", "+4915112345678, 4, +491511234", "+41791234567, 1, +4179123456",
    "+41791234567, 9, +417912", "+4520123456, 4, +452012", "+1234567, 4, +123456", "+12345, 4, +12345"})
  void prefixKeepsAtLeastSixDigits(String number, int hidden, String prefix) {
    assertEquals(prefix, SendKeys.prefix(number, hidden));
  }

  @Test
  void smsCarriesPrefixAndCountryEmailNeither() {
    SendKeys sms = SendKeys.of(Channels.SMS, "+41791234567", "u", "o", "app", null, 4);
    assertEquals("+4179123", sms.prefix());
    assertEquals(41, sms.countryCode());
    SendKeys mail = SendKeys.of(Channels.EMAIL, "a@b.test", "u", "o", "app", "203.0.113.7", 4);
    assertNull(mail.prefix());
    assertNull(mail.countryCode());
    assertEquals("203.0.113.7", mail.endUserIp());
  }
}
