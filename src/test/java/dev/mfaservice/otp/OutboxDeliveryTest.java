package dev.mfaservice.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.notify.Channels;
import dev.mfaservice.support.Await;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nothing is lost and nothing is sent twice: SMTP down when the code is made, a lost wake-up,
 * a worker that died holding a message, a restart, and two instances sharing one database.
 * The SMTP server's port is fixed first, so the first test can start with it down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxDeliveryTest {
  static final int SMTP_PORT = TestServer.freePort();
  static final String MASTER_KEY = "k1:" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
  static Mailbox mail;
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(OutboxDeliveryTest.class, env(1));
    admin = server.adminToken();
    org = server.createOrg("Delivery Org");
    assertEquals(200, server.http.post("/admin/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_EMAIL")).status());
  }

  @AfterAll
  static void stop() {
    server.close();
    if (mail != null) {
      mail.close();
    }
  }

  static Map<String, String> env(int sweepSeconds) {
    Map<String, String> env = new HashMap<>();
    env.put("MFA_SMTP_HOST", "127.0.0.1");
    env.put("MFA_SMTP_PORT", Integer.toString(SMTP_PORT));
    env.put("MFA_SMTP_TLS", "none");
    env.put("MFA_NOTIFY_SWEEP_SECONDS", Integer.toString(sweepSeconds));
    env.put("MFA_NOTIFY_BACKOFF_BASE_MILLIS", "100");
    env.put("MFA_NOTIFY_BACKOFF_MAX_MILLIS", "400");
    env.put("MFA_NOTIFY_MAX_ATTEMPTS", "100");
    env.put("MFA_NOTIFY_LEASE_SECONDS", "2");
    env.put("MFA_MASTER_KEY", MASTER_KEY);
    return env;
  }

  @Test
  @Order(1)
  void smtpDownWhenTheCodeIsMadeUpLaterTheMailArrivesOnce() {
    String user = server.createUser(org, "patient");
    assertEquals(200, add(server, user, "patient@acme.test").status());
    Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
      + "' and status = 'pending' and attempts >= 2 and last_error is not null") == 1, "retries while SMTP is down");
    mail = Mailbox.startOn(SMTP_PORT);
    mail.await("patient@acme.test", 1, 15_000);
    awaitSent(user);
    assertEquals(1, mail.to("patient@acme.test").size());
  }

  @Test
  @Order(2)
  void aLostWakeUpIsCoveredByTheSweeper() {
    Handler<DeliveryContext<Object>> drop = dropDispatches();
    server.app.vertx().eventBus().addOutboundInterceptor(drop);
    try {
      String user = server.createUser(org, "forgotten");
      assertEquals(200, add(server, user, "forgotten@acme.test").status());
      mail.await("forgotten@acme.test", 1, 10_000);
      awaitSent(user);
      assertEquals(1, mail.to("forgotten@acme.test").size());
    } finally {
      server.app.vertx().eventBus().removeOutboundInterceptor(drop);
    }
  }

  @Test
  @Order(3)
  void aMessageLeftByADeadInstanceIsSentAfterRestartOnce() {
    TestServer dying = TestServer.startOn(server.database, OutboxDeliveryTest.class, sharing(env(3600)), Clock.systemUTC());
    String user;
    try {
      dying.app.vertx().eventBus().addOutboundInterceptor(dropDispatches());
      user = dying.createUser(org, "orphan");
      Reply added = add(dying, user, "orphan@acme.test");
      assertEquals(200, added.status(), added.text());
      // The dead worker had claimed it: its lease must run out before anyone else sends it.
      TestDatabases.execute(server.database, "update outbox set attempts = 1, locked_until = now() + interval '2 seconds'"
        + " where user_id = '" + user + "'");
    } finally {
      dying.stopKeepingDatabase();
    }
    assertEquals(0, mail.to("orphan@acme.test").size());
    mail.await("orphan@acme.test", 1, 15_000);
    awaitSent(user);
    assertEquals(1, mail.to("orphan@acme.test").size());
  }

  @Test
  @Order(4)
  void twoInstancesOnOneDatabaseSendEachMessageOnce() {
    TestServer second = TestServer.startOn(server.database, OutboxDeliveryTest.class, sharing(env(1)), Clock.systemUTC());
    Handler<DeliveryContext<Object>> dropFirst = dropDispatches();
    Handler<DeliveryContext<Object>> dropSecond = dropDispatches();
    // Only the two sweepers deliver: they compete for every row.
    server.app.vertx().eventBus().addOutboundInterceptor(dropFirst);
    second.app.vertx().eventBus().addOutboundInterceptor(dropSecond);
    try {
      int n = 20;
      for (int i = 0; i < n; i++) {
        TestServer via = i % 2 == 0 ? server : second;
        String user = via.createUser(org, "twin" + i);
        assertEquals(200, add(via, user, "twin" + i + "@acme.test").status());
      }
      Await.until(() -> TestDatabases.count(server.database,
        "select count(*) from outbox where recipient like 'twin%' and status = 'sent'") == n, "all sent");
      for (int i = 0; i < n; i++) {
        assertEquals(1, mail.to("twin" + i + "@acme.test").size(), "twin" + i);
      }
      assertEquals(n, TestDatabases.count(server.database, "select count(*) from events where event_type = 'notification.sent'"
        + " and aggregate_id in (select id from outbox where recipient like 'twin%')"));
    } finally {
      server.app.vertx().eventBus().removeOutboundInterceptor(dropFirst);
      second.stopKeepingDatabase();
    }
  }

  @Test
  @Order(5)
  void aPermanentRefusalEndsAsFailedWithTheReasonInTheEvents() {
    mail.close();
    mail = null;
    NetServer refusing = refusingSmtpServer();
    try {
      String user = server.createUser(org, "rejected");
      assertEquals(200, add(server, user, "rejected@acme.test").status());
      Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
        + "' and status = 'failed' and payload_sealed is null and last_error like '%550%'") == 1, "failed for good");
      assertEquals(1, TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
        + "' and attempts = 1"), "a permanent refusal is not retried");
      assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where event_type = 'notification.failed'"
        + " and payload->>'reason' like '%550%' and aggregate_id in (select id from outbox where user_id = '" + user + "')"));
    } finally {
      refusing.close();
    }
  }

  /** Just enough SMTP to refuse every recipient with 550, as a server does for an address that does not exist. */
  static NetServer refusingSmtpServer() {
    NetServer smtp = server.app.vertx().createNetServer().connectHandler(socket -> {
      socket.write("220 refusing.test ESMTP\r\n");
      RecordParser lines = RecordParser.newDelimited("\r\n", line -> {
        String command = line.toString().toUpperCase();
        if (command.startsWith("EHLO") || command.startsWith("HELO")) {
          socket.write("250 refusing.test\r\n");
        } else if (command.startsWith("RCPT")) {
          socket.write("550 5.1.1 no such mailbox\r\n");
        } else if (command.startsWith("QUIT")) {
          socket.write("221 bye\r\n").onComplete(v -> socket.close());
        } else {
          socket.write(command.startsWith("RSET") || command.startsWith("MAIL") || command.startsWith("NOOP")
            ? "250 ok\r\n" : "502 not here\r\n");
        }
      });
      socket.handler(lines);
    });
    return smtp.listen(SMTP_PORT, "127.0.0.1").await();
  }

  /** Another instance of the same deployment: same database, master key and token issuer key. */
  static Map<String, String> sharing(Map<String, String> env) {
    env.put("MFA_DATA_DIR", server.config.dataDir().toString());
    return env;
  }

  static Handler<DeliveryContext<Object>> dropDispatches() {
    return ctx -> {
      if (!ctx.message().address().equals(Channels.address(Channels.EMAIL))) {
        ctx.next();
      }
    };
  }

  static Reply add(TestServer via, String user, String address) {
    return via.http.post("/v3alpha/users/" + user + "/otp_email", admin,
      new JsonObject().put("email", new JsonObject().put("address", address)));
  }

  static void awaitSent(String user) {
    Await.until(() -> TestDatabases.count(server.database, "select count(*) from outbox where user_id = '" + user
      + "' and status = 'sent'") == 1, "sent");
  }
}
