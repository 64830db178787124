package dev.mfaservice.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Await;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.TlsSmtpSink;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A code goes only to an SMTP server whose certificate is for the configured host (SEC X4): a
 * trusted certificate for another name is refused, with STARTTLS and with implicit TLS alike, and
 * the message is not sent; the same server with a certificate for its name gets it.
 */
class SmtpTlsTest {

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aTrustedCertificateForAnotherHostGetsNoMail(boolean implicitTls) {
    try (TlsSmtpSink sink = TlsSmtpSink.start("wrong.example.test", implicitTls); TestServer server = serverFor(sink)) {
      sendACode(server);
      // a third attempt starts only once the second has failed; a message sent ends the wait at once
      Await.until(() -> TestDatabases.count(server.database,
        "select count(*) from outbox where status = 'sent' or attempts >= 3") > 0, "two failed delivery attempts");
      assertEquals(0, sink.secureSessions.get(), "no SMTP after the TLS handshake");
      assertEquals(0, sink.messages.get());
      assertEquals(0, TestDatabases.count(server.database, "select count(*) from outbox where status = 'sent'"));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theServersOwnCertificateIsAccepted(boolean implicitTls) {
    try (TlsSmtpSink sink = TlsSmtpSink.start("localhost", implicitTls); TestServer server = serverFor(sink)) {
      sendACode(server);
      Await.until(() -> sink.messages.get() == 1, "the message");
      Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where status = 'sent'") == 1, "marked sent");
    }
  }

  private static TestServer serverFor(TlsSmtpSink sink) {
    Map<String, String> env = new HashMap<>(sink.env());
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    env.put("MFA_NOTIFY_BACKOFF_BASE_MILLIS", "10");
    env.put("MFA_NOTIFY_BACKOFF_MAX_MILLIS", "200");
    return TestServer.start(SmtpTlsTest.class, env, Clock.systemUTC());
  }

  /** A contact email set with the default verification: a code is mailed. */
  private static void sendACode(TestServer server) {
    String user = server.createUser(server.createOrg("Mail " + System.nanoTime()), "mailed");
    assertEquals(200, server.http.post("/v2/users/" + user + "/email", server.adminToken(),
      new JsonObject().put("email", "mailed@acme.test")).status());
  }
}
