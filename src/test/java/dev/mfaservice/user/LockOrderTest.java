package dev.mfaservice.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Await;
import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.RowLocks;
import dev.mfaservice.support.SoftAuthenticator;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lock order of {@link UserAccess}: a command that changes a user's factors locks the user's row before the
 * factor's rows, as a sign-in does (else the two can deadlock). Each case holds the factor's row locked from a
 * connection of its own, fires the command, waits until the command waits for that lock, and then finds the user's
 * row locked already (FOR UPDATE NOWAIT fails with 55P03). Released, the command answers as usual. And the deadlock
 * itself, made to happen: a TOTP sign-in and a TOTP command of one user, released at once, both answer.
 */
class LockOrderTest {
  static final AtomicInteger users = new AtomicInteger();
  static TestServer server;
  static String admin;
  static String org;
  static String origin;

  @BeforeAll
  static void start() {
    server = TestServer.start(LockOrderTest.class);
    admin = server.adminToken();
    org = server.createOrg("Lock Order");
    origin = "http://localhost:" + server.config.http().port();
    for (String type : new String[] {"OTP_EMAIL", "OTP_SMS", "RECOVERY_CODES"}) {
      Reply allowed = server.http.post("/admin/v1/policies/login/second_factors", admin,
        new JsonObject().put("type", "SECOND_FACTOR_TYPE_" + type));
      assertTrue(allowed.status() == 200 || allowed.status() == 409, allowed.text());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static final String TOTP = "select 1 from totp_factors where user_id = ? for update";
  static final String OTP = "select 1 from otp_authenticators where id = ? for update";
  static final String OTP_OF_USER = "select 1 from otp_authenticators where user_id = ? for update";
  static final String KEY = "select 1 from webauthn_keys where id = ? for update";
  static final String RECOVERY = "select 1 from recovery_codes where user_id = ? for update";
  static final String CONTACT_CODE = "select 1 from verification_codes where user_id = ? and purpose = 'CONTACT_EMAIL'"
    + " and used_at is null and voided_at is null for update";

  /** The factor's row(s) to hold locked ({@code lockSql} with one parameter) and the command to fire at them. */
  record Prepared(String lockSql, String lockParam, Supplier<Reply> command) {
  }

  record Case(String name, Function<String, Prepared> setup) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> commands() {
    return Stream.of(
      new Case("TOTP register (a pending one replaced)", user -> {
        registerTotp(user);
        return new Prepared(TOTP, user, () -> server.http.post(base(user) + "/totp", admin, new JsonObject()));
      }),
      new Case("TOTP verify", user -> {
        String secret = registerTotp(user);
        return new Prepared(TOTP, user, () -> verifyTotp(user, secret));
      }),
      new Case("TOTP remove", user -> {
        ok(verifyTotp(user, registerTotp(user)));
        return new Prepared(TOTP, user, () -> server.http.delete(base(user) + "/totp", admin));
      }),
      new Case("OTP email verify", user -> otpVerify(user, "otp_email", "email", "address", "lo@acme.test", "otpEmailId")),
      new Case("OTP SMS verify", user -> otpVerify(user, "otp_sms", "phone", "number", "+41791234567", "otpSmsId")),
      new Case("OTP email remove", user -> otpRemove(user, "otp_email", "email", "address", "lo@acme.test", "otpEmailId")),
      new Case("OTP SMS remove", user -> otpRemove(user, "otp_sms", "phone", "number", "+41791234567", "otpSmsId")),
      new Case("OTP email on the contact address remove", user -> {
        ok(server.http.post(base(user) + "/email", admin, new JsonObject().put("email", "c@acme.test").put("isVerified", true)));
        ok(server.http.post(base(user) + "/otp_email", admin, new JsonObject()));
        return new Prepared(OTP_OF_USER, user, () -> server.http.delete(base(user) + "/otp_email", admin));
      }),
      new Case("U2F verify", user -> {
        Reply started = ok(server.http.post(base(user) + "/u2f", admin, new JsonObject().put("domain", "localhost")));
        String keyId = started.json().getString("u2fId");
        JsonObject credential = new SoftAuthenticator(SoftAuthenticator.Alg.ES256)
          .create(started.json().getJsonObject("publicKeyCredentialCreationOptions"), origin);
        return new Prepared(KEY, keyId, () -> server.http.post(base(user) + "/u2f/" + keyId, admin,
          new JsonObject().put("publicKeyCredential", credential).put("tokenName", "key")));
      }),
      new Case("U2F remove", user -> {
        Reply started = ok(server.http.post(base(user) + "/u2f", admin, new JsonObject().put("domain", "localhost")));
        String keyId = started.json().getString("u2fId");
        ok(server.http.post(base(user) + "/u2f/" + keyId, admin, new JsonObject().put("tokenName", "key").put(
          "publicKeyCredential", new SoftAuthenticator(SoftAuthenticator.Alg.ES256)
            .create(started.json().getJsonObject("publicKeyCredentialCreationOptions"), origin))));
        return new Prepared(KEY, keyId, () -> server.http.delete(base(user) + "/u2f/" + keyId, admin));
      }),
      new Case("security-key sign-in (the assertion)", user -> {
        SoftAuthenticator authenticator = new SoftAuthenticator(SoftAuthenticator.Alg.ES256);
        Reply started = ok(server.http.post(base(user) + "/u2f", admin, new JsonObject().put("domain", "localhost")));
        String keyId = started.json().getString("u2fId");
        ok(server.http.post(base(user) + "/u2f/" + keyId, admin, new JsonObject().put("tokenName", "key").put(
          "publicKeyCredential", authenticator.create(started.json().getJsonObject("publicKeyCredentialCreationOptions"),
            origin))));
        Reply session = server.http.post("/v2/sessions", admin, new JsonObject()
          .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
          .put("challenges", new JsonObject().put("webAuthN", new JsonObject().put("domain", "localhost"))));
        assertEquals(201, session.status(), session.text());
        JsonObject created = session.json();
        JsonObject assertion = authenticator.get(created.getJsonObject("challenges").getJsonObject("webAuthN")
          .getJsonObject("publicKeyCredentialRequestOptions"), origin);
        return new Prepared(KEY, keyId, () -> server.http.call("PATCH", "/v2/sessions/" + created.getString("sessionId"),
          admin, new JsonObject().put("checks", new JsonObject().put("webAuthN",
            new JsonObject().put("credentialAssertionData", assertion))), java.util.Map.of()));
      }),
      new Case("recovery codes generate (a set replaced)", user -> {
        ok(server.http.post(base(user) + "/recovery_codes", admin, new JsonObject()));
        return new Prepared(RECOVERY, user, () -> server.http.post(base(user) + "/recovery_codes", admin, new JsonObject()));
      }),
      new Case("recovery codes remove", user -> {
        ok(server.http.post(base(user) + "/recovery_codes", admin, new JsonObject()));
        return new Prepared(RECOVERY, user, () -> server.http.delete(base(user) + "/recovery_codes", admin));
      }),
      new Case("contact email verify", user -> {
        String code = ok(server.http.post(base(user) + "/email", admin, new JsonObject().put("email", "v@acme.test")
          .put("returnCode", new JsonObject()))).json().getString("verificationCode");
        return new Prepared(CONTACT_CODE, user, () -> server.http.post(base(user) + "/email/verify", admin,
          new JsonObject().put("verificationCode", code)));
      }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void theUsersRowIsLockedBeforeTheFactors(Case c) throws Exception {
    String user = server.createUser(org, "lock-order-" + users.incrementAndGet());
    Prepared p = c.setup().apply(user);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (Connection holder = TestDatabases.connect(server.database);
         Connection probe = TestDatabases.connect(server.database)) {
      holder.setAutoCommit(false);
      assertTrue(rows(holder, p.lockSql(), p.lockParam()) > 0, c + ": the factor's row exists");
      int holderPid = (int) rows(holder, "select pg_backend_pid()");
      Future<Reply> reply = thread.submit(p.command()::get);
      Await.until(() -> blockedBy(probe, holderPid), c + ": the command waits for the factor's row");
      probe.setAutoCommit(false);
      String userLock = "free";
      try {
        rows(probe, "select 1 from users where id = ? for update nowait", user);
      } catch (SQLException e) {
        userLock = e.getSQLState();
      }
      probe.rollback();
      holder.rollback();
      Reply done = reply.get(20, TimeUnit.SECONDS);
      assertEquals("55P03", userLock, c + ": while waiting for the factor's row, the command holds the user's row"
        + " (55P03 = lock not available)");
      assertEquals(200, done.status(), c + ": " + done.text());
    } finally {
      thread.shutdownNow();
    }
  }

  static Stream<Case> totpCommands() {
    return commands().filter(c -> c.name().startsWith("TOTP"));
  }

  /**
   * The deadlock itself: a sign-in with a TOTP check waits for the user's row (held here), the command queues behind
   * it; released, the sign-in holds the user and wants the factor. Had the command locked the factor first and then
   * waited for the user, PostgreSQL would abort one of them after deadlock_timeout (a 500).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("totpCommands")
  void aSignInAndACommandOfOneUserDoNotDeadlock(Case c) throws Exception {
    String user = server.createUser(org, "lock-order-" + users.incrementAndGet());
    Prepared p = c.setup().apply(user);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Connection holder = TestDatabases.connect(server.database);
         Connection probe = TestDatabases.connect(server.database)) {
      holder.setAutoCommit(false);
      rows(holder, "select 1 from users where id = ? for update", user);
      Future<Reply> signIn = threads.submit(() -> server.http.post("/v2/sessions", admin, new JsonObject().put("checks",
        new JsonObject().put("user", new JsonObject().put("userId", user))
          .put("totp", new JsonObject().put("code", "000000")))));
      Await.until(() -> RowLocks.waiting(probe) >= 1, c + ": the sign-in waits for the user's row");
      Future<Reply> command = threads.submit(p.command()::get);
      Await.until(() -> RowLocks.waiting(probe) >= 2, c + ": the command waits too");
      holder.rollback();
      Reply signedIn = signIn.get(20, TimeUnit.SECONDS);
      Reply done = command.get(20, TimeUnit.SECONDS);
      assertTrue(signedIn.status() < 500, c + ": the sign-in answered " + signedIn.status() + " " + signedIn.text());
      assertEquals(200, done.status(), c + ": " + done.text());
    } finally {
      threads.shutdownNow();
    }
  }

  /** A backend of the service waits for a lock {@code holderPid} holds. */
  private static boolean blockedBy(Connection probe, int holderPid) {
    try {
      return rows(probe, "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
        + " and " + holderPid + " = any(pg_blocking_pids(pid))") > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row as a number (a count, a pid, the 1 of a lock's select), 0 for no row. */
  private static long rows(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** An authenticator with its own address, its code returned, to be verified. */
  private static Prepared otpVerify(String user, String path, String field, String key, String address, String idField) {
    Reply added = ok(server.http.post(v3(user, path), admin, new JsonObject().put(field,
      new JsonObject().put(key, address).put("returnCode", new JsonObject()))));
    String id = added.json().getString(idField);
    String code = added.json().getString("verificationCode");
    return new Prepared(OTP, id, () -> server.http.post(v3(user, path) + "/" + id + "/verify", admin,
      new JsonObject().put("code", code)));
  }

  /** An authenticator with its own address, declared verified, to be removed. */
  private static Prepared otpRemove(String user, String path, String field, String key, String address, String idField) {
    Reply added = ok(server.http.post(v3(user, path), admin, new JsonObject().put(field,
      new JsonObject().put(key, address).put("isVerified", true))));
    String id = added.json().getString(idField);
    return new Prepared(OTP, id, () -> server.http.delete(v3(user, path) + "/" + id, admin));
  }

  private static String v3(String user, String path) {
    return "/v3alpha/users/" + user + "/" + path;
  }

  private static String base(String user) {
    return "/v2/users/" + user;
  }

  private static String registerTotp(String user) {
    return ok(server.http.post(base(user) + "/totp", admin, new JsonObject())).json().getString("secret");
  }

  private static Reply verifyTotp(String user, String secret) {
    return server.http.post(base(user) + "/totp/verify", admin,
      new JsonObject().put("code", Rfc6238.code(secret, System.currentTimeMillis() / 1000)));
  }

  private static Reply ok(Reply r) {
    assertEquals(200, r.status(), r.text());
    return r;
  }
}
