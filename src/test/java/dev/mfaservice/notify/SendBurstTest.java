package dev.mfaservice.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Await;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many code sends at once under one caller and one country, from two instances on one database: each send adds to
 * the same keys' rows of {@code send_counts} in its transaction. None may fail (no deadlock, no lost update), every
 * send is counted once, the provider gets each SMS once; the users' shards spread the rows.
 */
class SendBurstTest {
  static final int SENDS = 48;
  static FakeTwilio twilio;
  static TestServer server;
  static TestServer other;
  static String org;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    Map<String, String> env = twilio.replicaEnv("41");
    server = TestServer.start(SendBurstTest.class, env, Clock.systemUTC());
    other = TestServer.startOn(server.database, SendBurstTest.class, env, Clock.systemUTC());
    org = server.createOrg("Burst Org");
  }

  @AfterAll
  static void stop() {
    other.stopKeepingDatabase();
    server.close();
    twilio.close();
  }

  @Test
  void concurrentSendsUnderOneCountryAndCallerAreEachCountedOnce() throws Exception {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < SENDS; i++) {
      users.add(server.createUser(org, "burst" + i));
    }
    String onFirst = server.token("burst-app", "instance", "IAM_OWNER");
    String onSecond = other.token("burst-app", "instance", "IAM_OWNER");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Reply>> replies = new ArrayList<>();
      for (int i = 0; i < SENDS; i++) {
        TestServer to = i % 2 == 0 ? server : other;
        String token = i % 2 == 0 ? onFirst : onSecond;
        String user = users.get(i);
        // distinct prefixes (the prefix limit is 10 an hour), one country
        String number = "+41" + (76 + i % 4) + String.format("%03d", i) + "1234";
        replies.add(pool.submit(() -> to.http.post("/v2/users/" + user + "/phone", token, new JsonObject().put("phone", number))));
      }
      for (Future<Reply> reply : replies) {
        Reply r = reply.get();
        assertEquals(200, r.status(), r.text());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(SENDS, sum("caller", "burst-app"));
    assertEquals(SENDS, sum("country", "41"));
    assertTrue(TestDatabases.count(server.database, "select count(distinct shard) from send_counts where kind = 'caller'"
      + " and key = 'burst-app'") > 1, "the users' sends spread over the shards");
    Await.until(() -> twilio.sentCount("+41") == SENDS, "every SMS sent");
    assertEquals(SENDS, twilio.sentCount("+41"), "each once");
  }

  private static long sum(String kind, String key) {
    return TestDatabases.count(server.database, "select coalesce(sum(hits), 0) from send_counts where kind = '" + kind
      + "' and key = '" + key + "'");
  }
}
