package dev.mfaservice.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.ha.FailoverLoad.Kind;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Load;
import dev.mfaservice.support.Mailbox;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What must hold after a failover round, from what the load client saw: nothing it saw
 * acknowledged is missing, nothing is doubled, every code reached its sink exactly once, no outbox
 * row is left unsent, the machine-id leases are held.
 */
final class FailoverChecks {
  private final List<Load.Answer> answers;

  FailoverChecks(Load load) {
    this.answers = List.copyOf(load.answers);
  }

  /** Only 200, 201 and 503 (with gRPC code 14 and Retry-After in the documented body). */
  Map<Integer, Long> statuses() {
    Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(Load::status, Collectors.counting()));
    assertEquals(Set.of(), byStatus.keySet().stream().filter(s -> s != 200 && s != 201 && s != 503).collect(Collectors.toSet()),
      "statuses other than 200, 201, 503: " + answers.stream().filter(a -> Load.status(a) >= 300 && Load.status(a) != 503)
        .limit(3).map(a -> a.request().path() + " " + a.status() + " " + a.body()).toList());
    for (Load.Answer a : answers) {
      if (Load.status(a) == 503) {
        JsonObject body = new JsonObject(a.body());
        assertEquals(14, body.getInteger("code"), a.body());
        assertTrue(body.getString("message") != null && body.getJsonArray("details") != null, a.body());
        assertEquals("1", a.retryAfter(), "Retry-After of a 503");
      }
    }
    return byStatus;
  }

  List<Load.Answer> acknowledged(Kind kind) {
    return answers.stream().filter(a -> kind.name().equals(a.request().tag()) && (Load.status(a) / 100 == 2)).toList();
  }

  private List<Load.Answer> unknown(Kind kind) {
    return answers.stream().filter(a -> kind.name().equals(a.request().tag()) && Load.status(a) == 503).toList();
  }

  /** Acknowledged orgs and sessions are there; TOTP registrations: at least the acknowledged ones, at most those plus the 503s. */
  String inTheDatabase(Connection db, Map<String, Long> totpAddedBefore) throws SQLException {
    List<String> orgs = acknowledged(Kind.ORG).stream().map(a -> new JsonObject(a.body()).getString("organizationId")).toList();
    assertEquals(orgs.size(), count(db, "select count(*) from events where event_type = 'org.added' and aggregate_id = any(?)", orgs),
      "acknowledged orgs in the database");
    List<String> sessions = answers.stream().filter(a -> Load.status(a) == 201 && a.request().path().equals("/v2/sessions"))
      .map(a -> new JsonObject(a.body()).getString("sessionId")).toList();
    assertEquals(sessions.size(), count(db, "select count(*) from events where event_type = 'session.added' and aggregate_id = any(?)",
      sessions), "acknowledged sessions in the database");
    int registrations = 0;
    for (Map.Entry<String, Long> user : totpAddedBefore.entrySet()) {
      long added = totpAdded(db, user.getKey()) - user.getValue();
      long acked = acknowledged(Kind.TOTP_REGISTRATION).stream().filter(a -> a.request().path().contains(user.getKey())).count();
      long maybe = unknown(Kind.TOTP_REGISTRATION).stream().filter(a -> a.request().path().contains(user.getKey())).count();
      assertTrue(added >= acked && added <= acked + maybe,
        "TOTP registrations of " + user.getKey() + ": " + added + " events for " + acked + " acknowledged and " + maybe + " unknown");
      registrations += acked;
    }
    assertEquals(0, count(db, "select count(*) from (select aggregate_type, aggregate_id from events group by 1, 2 "
      + "having count(*) <> max(sequence) or count(distinct sequence) <> count(*)) g", null), "event sequences with a gap or a duplicate");
    assertEquals(2, count(db, "select count(*) from machine_leases where expires_at > now()", null),
      "both instances hold a machine-id lease (one each: the id is the key)");
    return orgs.size() + " orgs, " + sessions.size() + " sessions (" + acknowledged(Kind.TOTP_SIGN_IN).size()
      + " with TOTP), " + registrations + " TOTP registrations";
  }

  static long totpAdded(Connection db, String user) throws SQLException {
    return count(db, "select count(*) from events where event_type = 'user.human.otp.added' and aggregate_id = any(?)", List.of(user));
  }

  /**
   * Every acknowledged code reached its sink exactly once, once no row for this round's recipients is
   * pending any more (a row whose sent state was not recorded is pending until its lease ends and it
   * is sent again: waiting for none pending lets such a second send show).
   */
  String deliveredOnce(Connection db, Mailbox mailbox, FakeTwilio twilio) throws SQLException, InterruptedException {
    List<String> recipients = answers.stream().filter(a -> a.request().tag().equals("MAIL") || a.request().tag().equals("SMS"))
      .map(a -> new JsonObject(a.request().body()).getString(a.request().tag().equals("MAIL") ? "email" : "phone")).toList();
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (count(db, "select count(*) from outbox where status = 'pending' and recipient = any(?)", recipients) > 0) {
      assertTrue(System.nanoTime() < deadline, "outbox rows of this round still pending 90 s after the gap");
      Thread.sleep(200);
    }
    List<String> mails = acknowledged(Kind.MAIL).stream().map(a -> new JsonObject(a.request().body()).getString("email")).toList();
    List<String> texts = acknowledged(Kind.SMS).stream().map(a -> new JsonObject(a.request().body()).getString("phone")).toList();
    mails.forEach(m -> mailbox.await(m, 1, 60_000));
    texts.forEach(t -> twilio.await(t, 1, 60_000));
    Map<String, Integer> notOnce = new HashMap<>();
    mails.stream().filter(m -> mailbox.to(m).size() != 1).forEach(m -> notOnce.put(m, mailbox.to(m).size()));
    texts.stream().filter(t -> twilio.to(t).size() != 1).forEach(t -> notOnce.put(t, twilio.to(t).size()));
    assertEquals(Map.of(), notOnce, "codes not delivered exactly once");
    assertEquals(0, count(db, "select count(*) from outbox where status <> 'sent' and recipient = any(?)", recipients),
      "outbox rows of this round that failed");
    long claimedAgain = count(db, "select count(*) from outbox where attempts > 1 and recipient = any(?)", recipients);
    return mails.size() + " emails and " + texts.size() + " SMS acknowledged, each delivered once; " + claimedAgain
      + " outbox row(s) claimed more than once";
  }

  private static long count(Connection db, String sql, List<String> values) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      if (values != null) {
        s.setArray(1, db.createArrayOf("text", values.toArray()));
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
