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
record NumberLookup(String lineType, String language) {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  /** Countries whose first language has texts here (templates/messages_*.properties); the rest get English. */
  private static final Map<String, String> LANGUAGES = Map.ofEntries(Map.entry("DE", "de"), Map.entry("AT", "de"),
    Map.entry("CH", "de"), Map.entry("LI", "de"), Map.entry("FR", "fr"), Map.entry("MC", "fr"), Map.entry("ES", "es"),
    Map.entry("MX", "es"), Map.entry("AR", "es"), Map.entry("CO", "es"), Map.entry("CL", "es"), Map.entry("PE", "es"),
    Map.entry("VE", "es"), Map.entry("EC", "es"), Map.entry("GT", "es"), Map.entry("CU", "es"), Map.entry("BO", "es"),
    Map.entry("DO", "es"), Map.entry("HN", "es"), Map.entry("PY", "es"), Map.entry("SV", "es"), Map.entry("NI", "es"),
    Map.entry("CR", "es"), Map.entry("PA", "es"), Map.entry("UY", "es"));

  /** What the numbering plan tells of an E.164 number (parsed once: its line type and its country's language). */
  static NumberLookup of(String e164) {
    PhoneNumber number = parse(e164);
    return new NumberLookup(lineType(UTIL.getNumberType(number)),
      LANGUAGES.getOrDefault(UTIL.getRegionCodeForNumber(number), "en"));
  }

  /** Twilio's line type: mobile, landline, voip, or null when the numbering plan cannot tell. */
  private static String lineType(PhoneNumberType type) {
    return switch (type) {
      case MOBILE -> "mobile";
      case FIXED_LINE -> "landline";
      case VOIP -> "voip";
      default -> null;
    };
  }

  boolean landline() {
    return "landline".equals(lineType);
  }

  /** {@code lookup} of a verification when the Service has lookups on: {@code {carrier: {type, …}}}. */
  JsonObject carrier() {
    return new JsonObject().put("carrier", new JsonObject().putNull("mobile_country_code").put("type", lineType)
      .putNull("error_code").putNull("mobile_network_code").putNull("name"));
  }

  private static PhoneNumber parse(String e164) {
    try {
      return UTIL.parse(e164, null);
    } catch (NumberParseException e) {
      throw new IllegalArgumentException("not E.164 (checked before): " + e.getErrorType());
    }
  }
}
