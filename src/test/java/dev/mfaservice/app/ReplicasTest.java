package dev.mfaservice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three instances on one database, started at once, work as one service: distinct leased machine
 * ids, no id clash under parallel creation, and whatever one instance started another can finish.
 * Each has its own data dir (and dev issuer key), so each call carries a token of the instance it goes to.
 */
class ReplicasTest {
  static final String MASTER_KEY = "k1:" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
  static final List<TestServer> instances = new ArrayList<>();
  static final List<String> admins = new ArrayList<>();
  static String org;

  @BeforeAll
  static void start() throws Exception {
    var db = TestDatabases.freshDatabase(ReplicasTest.class.getSimpleName());
    ExecutorService starter = Executors.newFixedThreadPool(3);
    try {
      List<Future<TestServer>> started = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        started.add(starter.submit(() -> TestServer.startOn(db, ReplicasTest.class, env(), Clock.systemUTC())));
      }
      for (Future<TestServer> s : started) {
        instances.add(s.get());
        admins.add(instances.get(instances.size() - 1).adminToken());
      }
    } finally {
      starter.shutdown();
    }
    org = instances.get(0).createOrg("Replicated Org");
    assertEquals(200, instances.get(0).http.post("/admin/v1/policies/login/second_factors", admins.get(0),
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_OTP_EMAIL")).status());
  }

  @AfterAll
  static void stop() {
    instances.forEach(TestServer::stopKeepingDatabase);
    TestDatabases.drop(instances.get(0).database);
  }

  static Map<String, String> env() {
    return new HashMap<>(Map.of("MFA_MASTER_KEY", MASTER_KEY));
  }

  @Test
  void threeInstancesHoldThreeMachineIdsAndCreate300UsersAtOnceWithoutAConflict() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(30);
    List<Callable<Reply>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int n = i;
      calls.add(() -> createUser(n % 3, "replica-user-" + n));
    }
    long started = System.nanoTime();
    List<Reply> replies = new ArrayList<>();
    for (Future<Reply> f : clients.invokeAll(calls)) {
      replies.add(f.get());
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    clients.shutdown();
    Set<String> ids = new TreeSet<>();
    replies.stream().filter(r -> r.status() == 201).forEach(r -> ids.add(r.json().getString("userId")));
    long refused = replies.stream().filter(r -> r.status() != 201).count();
    System.out.printf("ReplicasTest: 300 users through 3 instances, 30 threads: %d not 201 (%s), %d distinct ids, %d ms%n",
      refused, replies.stream().filter(r -> r.status() != 201).map(Reply::status).distinct().toList(), ids.size(), millis);
    assertEquals(0, refused, "every creation answered 201");
    assertEquals(300, ids.size());
    Set<Long> leased = leasedMachineIds();
    assertEquals(3, leased.size(), "three live leases, three distinct machine ids");
    Set<Long> carried = new TreeSet<>();
    ids.forEach(id -> carried.add(Long.parseLong(id) & 0xFFFF));
    assertEquals(leased, carried, "the users' ids carry exactly the leased machine ids");
  }

  @Test
  void aTotpRegisteredThroughOneIsVerifiedThroughAnother() {
    String user = userId(createUser(0, "replica-totp"));
    Reply registered = instances.get(0).http.post("/v2/users/" + user + "/totp", admins.get(0), new JsonObject());
    assertEquals(200, registered.status(), registered.text());
    String code = Rfc6238.code(registered.json().getString("secret"), System.currentTimeMillis() / 1000);
    Reply verified = instances.get(1).http.post("/v2/users/" + user + "/totp/verify", admins.get(1),
      new JsonObject().put("code", code));
    assertEquals(200, verified.status(), verified.text());
  }

  @Test
  void anEmailCodeMadeByOneIsCheckedByAnother() {
    String user = userId(createUser(1, "replica-mail"));
    Reply added = instances.get(1).http.post("/v3alpha/users/" + user + "/otp_email", admins.get(1), new JsonObject()
      .put("email", new JsonObject().put("address", "replica@acme.test").put("returnCode", new JsonObject())));
    assertEquals(200, added.status(), added.text());
    String path = "/v3alpha/users/" + user + "/otp_email/" + added.json().getString("otpEmailId") + "/verify";
    Reply verified = instances.get(2).http.post(path, admins.get(2),
      new JsonObject().put("code", added.json().getString("verificationCode")));
    assertEquals(200, verified.status(), verified.text());
  }

  @Test
  void aSessionCreatedOnOneIsCheckedOnAnotherAndReadOnTheThird() {
    String user = userId(createUser(2, "replica-signer"));
    String secret = instances.get(2).http.post("/v2/users/" + user + "/totp", admins.get(2), new JsonObject()).json().getString("secret");
    long now = System.currentTimeMillis() / 1000;
    assertEquals(200, instances.get(2).http.post("/v2/users/" + user + "/totp/verify", admins.get(2),
      new JsonObject().put("code", Rfc6238.code(secret, now))).status());
    Reply created = instances.get(0).http.post("/v2/sessions", admins.get(0), new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user))));
    assertEquals(201, created.status(), created.text());
    String session = created.json().getString("sessionId");
    Reply checked = instances.get(1).http.call("PATCH", "/v2/sessions/" + session, admins.get(1), new JsonObject()
      .put("sessionToken", created.json().getString("sessionToken"))
      .put("checks", new JsonObject().put("totp", new JsonObject().put("code", Rfc6238.code(secret, now + 30)))), Map.of());
    assertEquals(200, checked.status(), checked.text());
    Reply read = instances.get(2).http.get("/v2/sessions/" + session + "?sessionToken="
      + checked.json().getString("sessionToken"), admins.get(2));
    assertEquals(200, read.status(), read.text());
    JsonObject factors = read.json().getJsonObject("session").getJsonObject("factors");
    assertEquals(user, factors.getJsonObject("user").getString("id"));
    assertNotNull(factors.getJsonObject("totp").getString("verifiedAt"));
  }

  @Test
  void aFourthInstanceFindsNoFreeIdWhenEveryIdIsHeld() {
    Map<String, String> env = new HashMap<>(TestServer.baseEnv(ReplicasTest.class));
    env.putAll(instances.get(0).databaseEnv());
    StartupException e = assertThrows(StartupException.class,
      () -> Application.start(Config.load(env), Clock.systemUTC(), new SecureRandom(), 3).close());
    assertEquals("cannot lease a machine id: no free machine id: all 3 ids (0..2) are held by running instances; a stopped"
      + " instance's id is free again when its lease ends (MFA_IDS_LEASE_SECONDS=60)", e.getMessage());
  }

  @Test
  void anExplicitMachineIdHeldByARunningInstanceIsRefused() {
    long held = leasedMachineIds().iterator().next();
    Map<String, String> env = new HashMap<>(TestServer.baseEnv(ReplicasTest.class));
    env.putAll(instances.get(0).databaseEnv());
    env.put("MFA_IDS_MACHINE_ID", Long.toString(held));
    StartupException e = assertThrows(StartupException.class,
      () -> Application.start(Config.load(env), Clock.systemUTC(), new SecureRandom()).close());
    assertTrue(e.getMessage().startsWith("cannot lease a machine id: MFA_IDS_MACHINE_ID=" + held
      + " is held by another running instance (host "), e.getMessage());
    assertTrue(e.getMessage().endsWith("leave MFA_IDS_MACHINE_ID empty to lease a free id"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertEquals(3, leasedMachineIds().size(), "the refused instance took nothing");
  }

  static Reply createUser(int via, String username) {
    return instances.get(via).http.post("/v2/users/human", admins.get(via), new JsonObject()
      .put("organization", new JsonObject().put("orgId", org)).put("username", username)
      .put("profile", new JsonObject().put("givenName", "Given").put("familyName", "Family")));
  }

  static String userId(Reply created) {
    assertEquals(201, created.status(), created.text());
    return created.json().getString("userId");
  }

  static Set<Long> leasedMachineIds() {
    Set<Long> ids = new TreeSet<>();
    try (var c = TestDatabases.connect(instances.get(0).database); var s = c.createStatement();
         var rs = s.executeQuery("select machine_id from machine_leases where expires_at > now()")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }
}
