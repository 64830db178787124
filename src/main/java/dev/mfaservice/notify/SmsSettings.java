package dev.mfaservice.notify;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;

/**
 * SMS: the provider ("twilio", "log" on a development instance, "" = none), the region national
 * numbers are read in, the country calling codes SMS may go to (empty = all), and Twilio's account.
 */
public record SmsSettings(String provider, String defaultRegion, Set<Integer> allowedCountryCodes, Twilio twilio) {

  public record Twilio(String accountSid, String authToken, String apiKey, String apiSecret, String from,
                       String messagingServiceSid, URI apiUrl) {
  }

  public static SmsSettings from(Settings s, boolean dev) {
    String chosen = s.choice("sms.provider", "", "twilio", "log");
    String provider = chosen.isEmpty() && dev ? "log" : chosen;
    if (provider.equals("log") && !dev) {
      throw new ConfigException("MFA_SMS_PROVIDER=log is for development instances only (the dev issuer is off)");
    }
    String region = s.string("phone.default-region").toUpperCase();
    if (!region.isEmpty() && !com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
      throw new ConfigException("MFA_PHONE_DEFAULT_REGION: '" + region + "' is not a region libphonenumber knows");
    }
    Set<Integer> countries = countries(s);
    Twilio twilio = new Twilio(s.string("twilio.account-sid"), s.string("twilio.auth-token"), s.string("twilio.api-key"),
      s.string("twilio.api-secret"), s.string("twilio.from"), s.string("twilio.messaging-service-sid"),
      s.uri("twilio.api-url", "https", "http").orElse(URI.create("https://api.twilio.com")));
    if (provider.equals("twilio")) {
      requireTwilio(twilio);
    }
    return new SmsSettings(provider, region, countries, twilio);
  }

  private static Set<Integer> countries(Settings s) {
    Set<Integer> countries = new TreeSet<>();
    for (String code : s.string("sms.allowed-country-codes").split(",")) {
      if (code.isBlank()) {
        continue;
      }
      try {
        countries.add(Integer.parseInt(code.trim().replace("+", "")));
      } catch (NumberFormatException e) {
        throw new ConfigException("MFA_SMS_ALLOWED_COUNTRY_CODES must list calling codes such as 41,49, got '" + code + "'");
      }
    }
    return countries;
  }

  private static void requireTwilio(Twilio t) {
    if (t.accountSid().isEmpty()) {
      throw new ConfigException("MFA_SMS_PROVIDER=twilio needs MFA_TWILIO_ACCOUNT_SID");
    }
    if (t.authToken().isEmpty() && (t.apiKey().isEmpty() || t.apiSecret().isEmpty())) {
      throw new ConfigException("MFA_SMS_PROVIDER=twilio needs MFA_TWILIO_AUTH_TOKEN, or MFA_TWILIO_API_KEY and MFA_TWILIO_API_SECRET");
    }
    if (t.from().isEmpty() == t.messagingServiceSid().isEmpty()) {
      throw new ConfigException("MFA_SMS_PROVIDER=twilio needs exactly one of MFA_TWILIO_FROM and MFA_TWILIO_MESSAGING_SERVICE_SID");
    }
  }
}
