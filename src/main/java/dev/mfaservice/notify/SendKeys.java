package dev.mfaservice.notify;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * What one send is counted by: its recipient and user, the caller (token subject) and the end user's IP when known,
 * and for SMS the number's prefix and country calling code (SEC B2). Stored with the outbox row.
 */
public record SendKeys(String channel, String recipient, String userId, String orgId, String callerId, String endUserIp,
                       String prefix, Integer countryCode) {
  /** At least this many digits of a number stay in its prefix: a country code and an area or carrier code. */
  static final int KEPT_DIGITS = 6;

  static SendKeys of(String channel, String recipient, String userId, String orgId, String callerId, String endUserIp,
                     int hiddenDigits) {
    boolean sms = Channels.SMS.equals(channel) && recipient.startsWith("+");
    return new SendKeys(channel, recipient, userId, orgId, callerId, endUserIp,
      sms ? prefix(recipient, hiddenDigits) : null, sms ? countryCode(recipient) : null);
  }

  /** "+41791234567" without its last {@code hidden} digits, keeping at least {@link #KEPT_DIGITS}: "+4179123". */
  static String prefix(String e164, int hidden) {
    String digits = e164.substring(1);
    int kept = Math.max(Math.min(KEPT_DIGITS, digits.length()), digits.length() - hidden);
    return "+" + digits.substring(0, kept);
  }

  private static Integer countryCode(String e164) {
    try {
      return PhoneNumberUtil.getInstance().parse(e164, null).getCountryCode();
    } catch (NumberParseException e) {
      return null;
    }
  }
}
