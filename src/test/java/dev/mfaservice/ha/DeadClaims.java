package dev.mfaservice.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.app.Application;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.support.Fixtures;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.Mailbox;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Two email codes whose outbox rows are claimed the way a worker claims them (lease and attempt)
 * on connections that die with the primary: one claim still open (its transaction dies
 * uncommitted, the row lock with it), one committed (a claimer that will never record the send:
 * its lease must run out). Each must still be delivered exactly once after the failover.
 */
final class DeadClaims {
  private final String open;
  private final String committed;
  private final Connection openConnection;

  private DeadClaims(String open, String committed, Connection openConnection) {
    this.open = open;
    this.committed = committed;
    this.openConnection = openConnection;
  }

  /** Asks instance {@code via} for two codes without waking its sender, then claims both rows over JDBC. */
  static DeadClaims take(HaStack stack, Application via, int port, String token, String run, int leaseSeconds) throws SQLException {
    Http http = new Http(port);
    String user = Fixtures.orgWithUsers(http, token, "dead-claims-" + run, 1).get(0);
    Handler<DeliveryContext<Object>> noWakeUp = ctx -> {
      if (!ctx.message().address().equals(Channels.address(Channels.EMAIL))) {
        ctx.next();
      }
    };
    Connection openConnection = stack.connect();
    openConnection.setAutoCommit(false);
    String open = null;
    String committed = null;
    via.vertx().eventBus().addOutboundInterceptor(noWakeUp);
    try (Connection db = stack.connect()) {
      // the sweepers (every 5 s) may claim a row first: then ask for another
      for (int i = 0; open == null || committed == null; i++) {
        String address = run + "-dead-" + i + "@ha.test";
        assertEquals(200, http.post("/v2/users/" + user + "/email", token, new JsonObject().put("email", address)).status());
        if (open == null && claim(openConnection, address, "1 hour") == 1) {
          open = address;
        } else if (open != null && claim(db, address, leaseSeconds + " seconds") == 1) {
          committed = address;
        }
      }
    } finally {
      via.vertx().eventBus().removeOutboundInterceptor(noWakeUp);
    }
    return new DeadClaims(open, committed, openConnection);
  }

  /** After the failover: both delivered once; the open claim left no trace, the committed one counts as an attempt. */
  String verify(Connection db, Mailbox mailbox) throws SQLException {
    try {
      openConnection.close();
    } catch (SQLException dead) {
      // it died with the primary
    }
    mailbox.await(open, 1, 60_000);
    mailbox.await(committed, 1, 60_000);
    assertEquals(1, mailbox.to(open).size(), "code of the row whose claim died uncommitted");
    assertEquals(1, mailbox.to(committed).size(), "code of the row whose claimer died after committing the claim");
    // the sink has the mail a moment before the sender has recorded it as sent
    assertEquals("sent 1", sentRow(db, open), "the uncommitted claim is gone with the old primary");
    assertEquals("sent 2", sentRow(db, committed), "the committed claim survived the failover and its lease ran out");
    return "a claim left open and a claim committed on connections that died: each row sent once after the failover";
  }

  private static int claim(Connection c, String address, String lease) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update outbox set locked_until = now() + ?::interval, attempts = attempts + 1 "
      + "where recipient = ? and status = 'pending' and locked_until is null")) {
      s.setString(1, lease);
      s.setString(2, address);
      return s.executeUpdate();
    }
  }

  /** The row's status and attempts once it is no longer pending (polling up to 30 s), else as it is then. */
  private static String sentRow(Connection db, String address) throws SQLException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    String row = row(db, address);
    while (row.startsWith("pending") && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return row;
      }
      row = row(db, address);
    }
    return row;
  }

  private static String row(Connection db, String address) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("select status, attempts from outbox where recipient = ?")) {
      s.setString(1, address);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getString(1) + " " + r.getInt(2);
      }
    }
  }
}
