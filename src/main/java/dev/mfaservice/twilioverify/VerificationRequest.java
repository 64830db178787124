package dev.mfaservice.twilioverify;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.user.PhoneNumbers;
import io.vertx.core.json.JsonObject;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Create Verification as asked: to whom (a phone number in E.164, checked as every number the service sends to is,
 * or an email address), on which channel, in which language ({@code Locale}, else the number's country's), a custom
 * code, a name for the message instead of the Service's, a PSD2 transaction, and what the numbering plan tells of an
 * SMS number (null for email) ({@code Amount}, {@code Payee}). Channels served: {@code sms} and {@code email}; Twilio's
 * others (call, whatsapp, sna, auto) → 60223 (the channel is disabled for this service), anything else → 60200.
 */
record VerificationRequest(String to, String channel, String language, String customCode, String customFriendlyName,
                           Transaction transaction, NumberLookup number) {
  private static final Set<String> SERVED = Set.of("sms", "email");
  private static final Set<String> TWILIO = Set.of("call", "whatsapp", "sna", "auto");
  /** Parameters of features not served here: refused, never silently dropped (they change what is sent). */
  private static final java.util.List<String> NOT_SERVED = java.util.List.of("TemplateSid", "TemplateCustomSubstitutions",
    "CustomMessage", "SendDigits", "AppHash", "ChannelConfiguration", "EnableSnaClientToken");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  /** A PSD2 transaction the code is bound to (dynamic linking); null fields: none given. */
  record Transaction(String amount, String payee) {
    static final Transaction NONE = new Transaction(null, null);

    static Transaction of(JsonObject input) {
      return new Transaction(input.getString("Amount"), input.getString("Payee"));
    }

    boolean given() {
      return amount != null || payee != null;
    }

    boolean complete() {
      return amount != null && payee != null;
    }
  }

  static VerificationRequest of(JsonObject input, PhoneNumbers phones) {
    for (String name : NOT_SERVED) {
      if (input.containsKey(name)) {
        throw new TwilioError(60204, 403, "Service does not support this feature: " + name);
      }
    }
    String channel = input.getString("Channel");
    if (TWILIO.contains(channel)) {
      throw new TwilioError(60223, 400, "Delivery channel disabled: " + channel.toUpperCase(Locale.ROOT));
    }
    if (!SERVED.contains(channel)) {
      throw TwilioError.invalidParameter("Channel");
    }
    String to = input.getString("To").trim();
    String locale = input.getString("Locale");
    if (channel.equals("sms")) {
      to = phone(phones, to);
    } else if (!EMAIL.matcher(to).matches()) {
      throw TwilioError.invalidParameter("To");
    }
    NumberLookup number = channel.equals("sms") ? NumberLookup.of(to) : null;
    String language = locale != null ? language(locale) : number != null ? number.language() : "en";
    return new VerificationRequest(to, channel, language, input.getString("CustomCode"),
      input.getString("CustomFriendlyName"), Transaction.of(input), number);
  }

  /** An E.164 number the instance sends to (valid, not premium-rate, of an allowed country: SEC B2, B3), or 60200. */
  private static String phone(PhoneNumbers phones, String to) {
    if (!to.startsWith("+")) {
      throw TwilioError.invalidParameter("To");
    }
    try {
      return phones.normalize(to, "To");
    } catch (ApiError refused) {
      throw TwilioError.invalidParameter("To");
    }
  }

  /** A BCP 47 tag ({@code pt-BR}, Twilio also writes {@code pt_BR}): its language; texts it has none of are English. */
  private static String language(String locale) {
    try {
      Locale parsed = new Locale.Builder().setLanguageTag(locale.replace('_', '-')).build();
      if (!parsed.getLanguage().isEmpty()) {
        return parsed.toLanguageTag();
      }
    } catch (IllformedLocaleException e) {
      // falls through: not a language tag
    }
    throw TwilioError.invalidParameter("Locale");
  }
}
