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
 * English when there is none. Placeholders {@code {product}}, {@code {code}}, {@code {link}} and,
 * for notices, {@code {factor}} (a label from the same file, looked up by a fixed key) and
 * {@code {time}} (formatted here): no value a caller chose verbatim reaches a notice. In HTML
 * every value is escaped (SEC B5); subjects lose CR/LF (B4).
 */
public final class MessageTemplates {
  private static final String FALLBACK = "en";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[a-z]+}");
  private final Map<String, Properties> byLanguage = new HashMap<>();
  private final String product;

  public MessageTemplates(String product) {
    this.product = product;
    for (String lang : new String[] {"en", "de"}) {
      byLanguage.put(lang, load(lang));
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
    String subject = fill(p, template + ".subject", values, false).replaceAll("[\r\n]", " ");
    return new Rendered(subject, text, html);
  }

  /** An SMS: the text only (SEC O9: code and service name, no link); a notice's SMS text is its {@code .sms} entry. */
  public String renderSms(String template, String language, JsonObject payload) {
    Properties p = texts(language);
    String key = FactorNotices.isNotice(template) ? template + ".sms" : template + ".text";
    return fill(p, key, values(p, language, payload), false);
  }

  private Properties texts(String language) {
    return byLanguage.get(resolved(language));
  }

  /** The language whose texts are used: the user's if there are texts for it, else English. */
  private String resolved(String language) {
    String lang = language == null ? FALLBACK : language.toLowerCase(Locale.ROOT);
    return byLanguage.containsKey(lang) ? lang : FALLBACK;
  }

  private Map<String, String> values(Properties p, String language, JsonObject payload) {
    Map<String, String> values = new HashMap<>();
    values.put("{product}", product);
    values.put("{code}", payload.getString("code", ""));
    values.put("{link}", payload.getString("link", ""));
    String factor = payload.getString("factor");
    if (factor != null) {
      // A fixed label, never the payload's text: an unknown kind is a bug, not something to echo.
      values.put("{factor}", required(p, "factor." + factor));
    }
    String at = payload.getString("at");
    if (at != null) {
      // The month's name in the language of the text around it, not the user's unsupported one.
      DateTimeFormatter format = DateTimeFormatter.ofPattern(required(p, "time.format"),
        Locale.forLanguageTag(resolved(language))).withZone(ZoneOffset.UTC);
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

  private static Properties load(String lang) {
    Properties p = new Properties();
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
