package dev.mfaservice.twilioverify;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What can be known of a number without a carrier database (libphonenumber's metadata, offline): its line type, for
 * Twilio's {@code lookup.carrier.type} and {@code skip_sms_to_landlines}, and its country's language, for the message
 * when no {@code Locale} is given. Carrier name, MCC and MNC need a live lookup: they are null.
 */
final class NumberLookup {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  /** Countries whose first language has texts here (templates/messages_*.properties); the rest get English. */
  private static final Map<String, String> LANGUAGES = Map.ofEntries(Map.entry("DE", "de"), Map.entry("AT", "de"),
    Map.entry("CH", "de"), Map.entry("LI", "de"), Map.entry("FR", "fr"), Map.entry("MC", "fr"), Map.entry("ES", "es"),
    Map.entry("MX", "es"), Map.entry("AR", "es"), Map.entry("CO", "es"), Map.entry("CL", "es"), Map.entry("PE", "es"),
    Map.entry("VE", "es"), Map.entry("EC", "es"), Map.entry("GT", "es"), Map.entry("CU", "es"), Map.entry("BO", "es"),
    Map.entry("DO", "es"), Map.entry("HN", "es"), Map.entry("PY", "es"), Map.entry("SV", "es"), Map.entry("NI", "es"),
    Map.entry("CR", "es"), Map.entry("PA", "es"), Map.entry("UY", "es"));

  private NumberLookup() {
  }

  /** Twilio's line type of an E.164 number: mobile, landline, voip, or null when its numbering plan cannot tell. */
  static String lineType(String e164) {
    PhoneNumberType type = UTIL.getNumberType(parse(e164));
    return switch (type) {
      case MOBILE -> "mobile";
      case FIXED_LINE -> "landline";
      case VOIP -> "voip";
      default -> null;
    };
  }

  /** {@code lookup} of a verification when the Service has lookups on: {@code {carrier: {type, …}}}. */
  static JsonObject of(String e164) {
    return new JsonObject().put("carrier", new JsonObject().putNull("mobile_country_code").put("type", lineType(e164))
      .putNull("error_code").putNull("mobile_network_code").putNull("name"));
  }

  static String language(String e164) {
    return LANGUAGES.getOrDefault(UTIL.getRegionCodeForNumber(parse(e164)), "en");
  }

  private static PhoneNumber parse(String e164) {
    try {
      return UTIL.parse(e164, null);
    } catch (NumberParseException e) {
      throw new IllegalArgumentException("not E.164 (checked before): " + e.getErrorType());
    }
  }
}
