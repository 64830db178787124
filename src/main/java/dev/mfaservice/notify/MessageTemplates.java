package dev.mfaservice.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Message texts from {@code templates/messages_<lang>.properties} in the user's preferred language,
 * English when there is none. Placeholders {@code {product}}, {@code {code}}, {@code {link}}; in
 * HTML every value is escaped (SEC B5); subjects lose CR/LF (B4).
 */
public final class MessageTemplates {
  private static final String FALLBACK = "en";
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

  public Rendered render(String template, String language, String code, String link) {
    Properties p = byLanguage.getOrDefault(language == null ? FALLBACK : language.toLowerCase(Locale.ROOT),
      byLanguage.get(FALLBACK));
    String text = fill(p.getProperty(template + ".text"), code, link, false);
    String html = fill(p.getProperty(template + ".html"), code, link, true);
    if (link != null) {
      text = text + "\n\n" + fill(p.getProperty(template + ".link.text"), code, link, false);
      html = html + fill(p.getProperty(template + ".link.html"), code, link, true);
    }
    String subject = fill(p.getProperty(template + ".subject"), code, link, false).replaceAll("[\r\n]", " ");
    return new Rendered(subject, text, html);
  }

  /** An SMS: the text only (SEC O9: code and service name, no link). */
  public String renderSms(String template, String language, String code) {
    Properties p = byLanguage.getOrDefault(language == null ? FALLBACK : language.toLowerCase(Locale.ROOT),
      byLanguage.get(FALLBACK));
    return fill(p.getProperty(template + ".text"), code, null, false);
  }

  private String fill(String pattern, String code, String link, boolean html) {
    if (pattern == null) {
      throw new IllegalStateException("missing message template text");
    }
    return pattern.replace("{product}", escape(product, html)).replace("{code}", escape(code, html))
      .replace("{link}", link == null ? "" : escape(link, html));
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
