package dev.mfaservice.notify;

import dev.mfaservice.org.SecondFactorType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The notice texts: every kind in every language, fixed labels only, escaped HTML. */
class MessageTemplatesTest {
  private static final String AT = "2026-11-30T13:04:08.123Z";

  @Test
  void everyNoticeRendersForEveryFactorKindInEveryLanguage() {
    MessageTemplates templates = new MessageTemplates("mfa-service");
    for (String language : List.of("en", "de", "fr")) {
      for (String template : List.of(FactorNotices.ADDED, FactorNotices.REMOVED)) {
        for (SecondFactorType kind : SecondFactorType.values()) {
          JsonObject payload = new JsonObject().put("factor", kind.noticeKey()).put("at", AT);
          MessageTemplates.Rendered mail = templates.render(template, language, payload);
          String sms = templates.renderSms(template, language, payload);
          for (String text : List.of(mail.subject(), mail.text(), mail.html(), sms)) {
            assertFalse(text.matches("(?s).*\\{[a-z]+}.*"), language + " " + template + " " + kind + ": " + text);
          }
          assertTrue(mail.text().contains(language.equals("de") ? "30. November 2026, 13:04 UTC" : "30 November 2026, 13:04 UTC"),
            mail.text());
        }
      }
      MessageTemplates.Rendered locked = templates.render(FactorNotices.LOCKED, language, new JsonObject().put("at", AT));
      assertFalse(locked.text().contains("{"), locked.text());
    }
  }

  @Test
  void aFactorKeyOutsideTheTemplatesIsRefusedNotEchoed() {
    MessageTemplates templates = new MessageTemplates("mfa-service");
    JsonObject payload = new JsonObject().put("factor", "<a href=\"https://evil.test\">click</a>").put("at", AT);
    assertThrows(IllegalStateException.class, () -> templates.render(FactorNotices.ADDED, "en", payload));
  }

  @Test
  void valuesAreEscapedInHtmlAndFilledOnce() {
    MessageTemplates templates = new MessageTemplates("A&B <Co>");
    MessageTemplates.Rendered mail = templates.render(FactorNotices.ADDED, "en",
      new JsonObject().put("factor", "totp").put("at", AT));
    assertTrue(mail.html().contains("A&amp;B &lt;Co&gt;"), mail.html());
    MessageTemplates.Rendered code = templates.render("verify_email", "en", new JsonObject().put("code", "ABC123")
      .put("link", "https://x.test/{code}"));
    assertTrue(code.text().contains("https://x.test/{code}"), "a link's own text is not filled again: " + code.text());
    assertEquals("A&B <Co>: your verification code", code.subject());
  }
}
