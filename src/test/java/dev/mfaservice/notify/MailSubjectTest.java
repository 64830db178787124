package dev.mfaservice.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A subject with characters beyond ASCII, an emoji among them, arrives as written (RFC 2047). */
class MailSubjectTest {

  @Test
  void anEmojiInTheProductNameReachesTheSubjectIntact() throws Exception {
    String product = "Acme 🚀 Größe";
    try (Mailbox mail = Mailbox.start()) {
      Map<String, String> env = new HashMap<>(mail.env());
      env.put("MFA_NOTIFY_PRODUCT_NAME", product);
      try (TestServer server = TestServer.start(MailSubjectTest.class, env, Clock.systemUTC())) {
        String user = server.createUser(server.createOrg("Rocket"), "rocket");
        assertEquals(200, server.http.post("/v2/users/" + user + "/email", server.adminToken(),
          new JsonObject().put("email", "rocket@acme.test")).status());
        MimeMessage message = mail.await("rocket@acme.test", 1, 10_000).get(0);
        assertTrue(Mailbox.subject(message).startsWith(product + ":"), Mailbox.subject(message));
        assertTrue(message.getHeader("Subject")[0].startsWith("=?UTF-8?B?"), "encoded words on the wire");
      }
    }
  }

  @Test
  void longSubjectsAreSplitIntoWordsOfWholeCharacters() {
    String subject = "🚀".repeat(40) + " é";
    String encoded = MailSubject.encode(subject);
    for (String word : encoded.split(" ")) {
      assertTrue(word.length() <= 75, word);
    }
    assertEquals("plain ASCII stays", MailSubject.encode("plain ASCII stays"));
  }
}
