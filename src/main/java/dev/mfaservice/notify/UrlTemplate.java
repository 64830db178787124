package dev.mfaservice.notify;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.http.UriComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code urlTemplate} of sendCode: the subset of Go's text/template that ZITADEL documents,
 * plain text with {@code {{.UserID}}}, {@code {{.Code}}}, {@code {{.OrgID}}}, {@code {{.LoginName}}},
 * {@code {{.DisplayName}}}, {@code {{.PreferredLanguage}}}. Any other action is refused when
 * the request arrives (SEC B6); values are percent-encoded when rendered; the result must be an
 * absolute URL without user info whose scheme and host the {@link LinkRules} allow.
 */
public final class UrlTemplate {
  public static final Set<String> FIELDS = Set.of("UserID", "Code", "OrgID", "LoginName", "DisplayName", "PreferredLanguage");
  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
  private static final Pattern FIELD = Pattern.compile("\\.([A-Za-z]+)");

  private final List<Object> parts;

  private UrlTemplate(List<Object> parts) {
    this.parts = parts;
  }

  /** Parses and test-renders the template; a 400 names {@code field} and the problem. */
  public static UrlTemplate parse(String template, String field, LinkRules rules) {
    List<Object> parts = new ArrayList<>();
    Matcher m = ACTION.matcher(template);
    int at = 0;
    while (m.find()) {
      parts.add(literal(template.substring(at, m.start()), field));
      Matcher f = FIELD.matcher(m.group(1));
      if (!f.matches()) {
        throw invalid(field, "'{{" + m.group(1) + "}}' is not a field; use one of " + new java.util.TreeSet<>(FIELDS));
      }
      if (!FIELDS.contains(f.group(1))) {
        throw invalid(field, "unknown field '." + f.group(1) + "'; use one of " + new java.util.TreeSet<>(FIELDS));
      }
      parts.add(new Field(f.group(1)));
      at = m.end();
    }
    parts.add(literal(template.substring(at), field));
    UrlTemplate parsed = new UrlTemplate(parts);
    parsed.checkUrl(parsed.render(Map.of("UserID", "1", "Code", "ABC123", "OrgID", "2", "LoginName", "a",
      "DisplayName", "A", "PreferredLanguage", "en")), field, rules);
    return parsed;
  }

  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      out.append(part instanceof Field f ? UriComponent.encode(values.getOrDefault(f.name(), ""), "") : part);
    }
    return out.toString();
  }

  private static String literal(String text, String field) {
    if (text.contains("{{") || text.contains("}}")) {
      throw invalid(field, "an unbalanced '{{' or '}}'");
    }
    return text;
  }

  private void checkUrl(String rendered, String field, LinkRules rules) {
    URI uri;
    try {
      uri = new URI(rendered);
    } catch (URISyntaxException e) {
      throw invalid(field, "it does not make a valid URL");
    }
    if (!rules.schemeAllowed(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw invalid(field, "it must make an absolute " + (rules.development() ? "http(s)" : "https")
        + " URL with a host and no user info");
    }
    String refusal = rules.refusal(uri.getHost());
    if (refusal != null) {
      throw invalid(field, refusal);
    }
  }

  private static ApiError invalid(String field, String problem) {
    return ApiError.invalidArgument("API-urlTemplate", "invalid request: " + field + ": " + problem);
  }

  private record Field(String name) {
  }
}
