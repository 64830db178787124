package dev.mfaservice.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.RowLocks;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RegisterTOTP's optimistic way: the user and the factor read without locks, one statement that writes only if the
 * user is still at the sequence read; a user changed in between sends it the locked way, which registers after that
 * change (its event the next in the user's sequence).
 */
class TotpRegisterOptimisticTest {
  static TestServer server;
  static String admin;
  static String org;

  @BeforeAll
  static void start() {
    server = TestServer.start(TotpRegisterOptimisticTest.class);
    admin = server.adminToken();
    org = server.createOrg("Register Org");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The locked way would wait for this lock (its user row lock is for update); the optimistic one does not. */
  @Test
  void registersWhileTheUsersRowIsHeldForKeyShare() throws Exception {
    String user = server.createUser(org, "key-share-holder");
    try (Connection holder = TestDatabases.connect(server.database)) {
      holder.setAutoCommit(false);
      RowLocks.execute(holder, "select 1 from users where id = ? for key share", user);
      Reply registered = register(user);
      assertEquals(200, registered.status(), registered.text());
      holder.rollback();
    }
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from totp_factors where user_id = '" + user
      + "' and not verified"));
  }

  @Test
  void aUserChangedBetweenTheReadAndTheWriteRegistersAfterThatChange() throws Exception {
    String user = server.createUser(org, "changed-meanwhile");
    long before = sequence(user);
    Reply reply = RowLocks.whileHeld(server.database, user, "with appended as (insert into events (aggregate_type,"
      + " aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) select 'user', id,"
      + " sequence + 1, 'user.human.phone.changed', '{}', 'test', org_id, now() from users where id = ?)"
      + " update users set sequence = sequence + 1 where id = ?", () -> register(user));
    assertEquals(200, reply.status(), reply.text());
    assertEquals(before + 2, sequence(user), "the change, then the registration");
    assertEquals(1, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + user
      + "' and sequence = " + (before + 2) + " and event_type = 'user.human.otp.added'"));
    assertEquals(before + 2, TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '"
      + user + "'"), "one event per sequence number, none lost");
  }

  private static long sequence(String user) {
    return TestDatabases.count(server.database, "select sequence from users where id = '" + user + "'");
  }

  private static Reply register(String user) {
    return server.http.post("/v2/users/" + user + "/totp", admin, new JsonObject());
  }
}
