package dev.mfaservice.notify;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message texts from {@code templates/messages_<lang>.properties} in the user's preferred language,
 * English when there is none (or when that language's file lacks the text). Placeholders {@code {product}}, {@code {code}}, {@code {link}} and,
 * for notices, {@code {factor}} (a label from the same file, looked up by a fixed key) and
 * {@code {time}} (formatted here): no value a caller chose verbatim reaches a notice. In HTML
 * every value is escaped (SEC B5); subjects lose CR/LF (B4).
 */
public final class MessageTemplates {
  private static final String FALLBACK = "en";
  private static final String[] LANGUAGES = {"de", "fr", "es"};
  /** Appended to a code's message when the payload asks for it (Twilio Verify's do_not_share_warning_enabled). */
  private static final String WARNING = "do_not_share";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[a-z]+}");
  private final Map<String, Properties> byLanguage = new HashMap<>();
  private final String product;

  public MessageTemplates(String product) {
    this.product = product;
    Properties english = load(FALLBACK, null);
    byLanguage.put(FALLBACK, english);
    for (String lang : LANGUAGES) {
      // a text a language lacks is the English one (fr and es carry the Twilio Verify texts only)
      byLanguage.put(lang, load(lang, english));
    }
  }

  public record Rendered(String subject, String text, String html) {
  }

  /** An email from an outbox payload: {@code code} and {@code link} for codes, {@code factor} and {@code at} for notices. */
  public Rendered render(String template, String language, JsonObject payload) {
    Properties p = texts(language);
    Map<String, String> values = values(p, language, payload);
    String link = payload.getString("link");
    String text = fill(p, template + ".text", values, false);
    String html = fill(p, template + ".html", values, true);
    if (link != null) {
      text = text + "\n\n" + fill(p, template + ".link.text", values, false);
      html = html + fill(p, template + ".link.html", values, true);
    }
    if (payload.getBoolean("warning", false)) {
      text = text + "\n\n" + fill(p, WARNING, values, false);
      html = html + "<p>" + fill(p, WARNING, values, true) + "</p>";
    }
    String subject = fill(p, template + ".subject", values, false).replaceAll("[\r\n]", " ");
    return new Rendered(subject, text, html);
  }

  /** An SMS: the text only (SEC O9: code and service name, no link); a notice's SMS text is its {@code .sms} entry. */
  public String renderSms(String template, String language, JsonObject payload) {
    Properties p = texts(language);
    String key = FactorNotices.isNotice(template) ? template + ".sms" : template + ".text";
    Map<String, String> values = values(p, language, payload);
    String text = fill(p, key, values, false);
    return payload.getBoolean("warning", false) ? text + " " + fill(p, WARNING, values, false) : text;
  }

  private Properties texts(String language) {
    return byLanguage.get(resolved(language));
  }

  /** The language whose texts are used: the user's (or its primary language: de-CH → de) if there are texts for it, else English. */
  private String resolved(String language) {
    String lang = language == null ? FALLBACK : language.toLowerCase(Locale.ROOT).replace('_', '-');
    String primary = lang.split("-", 2)[0];
    return byLanguage.containsKey(lang) ? lang : byLanguage.containsKey(primary) ? primary : FALLBACK;
  }

  private Map<String, String> values(Properties p, String language, JsonObject payload) {
    Map<String, String> values = new HashMap<>();
    values.put("{product}", product);
    values.put("{code}", payload.getString("code", ""));
    values.put("{link}", payload.getString("link", ""));
    // Twilio Verify's: the Service's friendly name, and a PSD2 transaction's amount and payee
    values.put("{service}", payload.getString("service", product));
    values.put("{amount}", payload.getString("amount", ""));
    values.put("{payee}", payload.getString("payee", ""));
    String factor = payload.getString("factor");
    if (factor != null) {
      // A fixed label, never the payload's text: an unknown kind is a bug, not something to echo.
      values.put("{factor}", required(p, "factor." + factor));
    }
    String at = payload.getString("at");
    if (at != null) {
      // The month's name in the language of the text around it, not the user's unsupported one (a language whose
      // file has no notices of its own gets the English ones: English months).
      String lang = p.containsKey("time.format") ? resolved(language) : FALLBACK;
      DateTimeFormatter format = DateTimeFormatter.ofPattern(required(p, "time.format"),
        Locale.forLanguageTag(lang)).withZone(ZoneOffset.UTC);
      values.put("{time}", format.format(Instant.parse(at)));
    }
    return values;
  }

  /** One pass over the pattern: a value that itself contains "{code}" (a link's literal text) is not filled again. */
  private static String fill(Properties p, String key, Map<String, String> values, boolean html) {
    Matcher m = PLACEHOLDER.matcher(required(p, key));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : escape(value, html)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String required(Properties p, String key) {
    String pattern = p.getProperty(key);
    if (pattern == null) {
      throw new IllegalStateException("missing message template text " + key);
    }
    return pattern;
  }

  private static String escape(String value, boolean html) {
    if (!html) {
      return value;
    }
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }

  private static Properties load(String lang, Properties defaults) {
    Properties p = new Properties(defaults);
    try (InputStream in = MessageTemplates.class.getClassLoader().getResourceAsStream("templates/messages_" + lang + ".properties")) {
      if (in == null) {
        throw new IllegalStateException("templates/messages_" + lang + ".properties is missing");
      }
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
