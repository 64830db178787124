package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-replica keep of credential rows: a read that began before a removal must not keep the removed row (it would
 * be accepted for {@link VerifyAccounts#KEEP_MILLIS} on the replica that removed it).
 */
class VerifyAccountsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static TestServer server;
  private static Pool pool;

  @BeforeAll
  static void start() {
    server = TestServer.start(VerifyAccountsTest.class);
    pool = server.pool(1);
  }

  @AfterAll
  static void stop() {
    pool.close();
    server.close();
  }

  @Test
  void aReadBegunBeforeARemovalDoesNotKeepTheRemovedRow() throws Exception {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    CodeHasher hasher = new CodeHasher(Keyring.parse("k1:" + Base64.getEncoder().encodeToString(raw), RANDOM));
    CredentialRepository credentials = new CredentialRepository();
    String org = server.createOrg("Verify Accounts Keep");
    Sids sids = new Sids(RANDOM);
    String sid = sids.next(Sids.ACCOUNT);
    String token = sids.hex(16);
    await(credentials.insert(pool, new TwilioCredential(sid, org, Instant.now()), hasher.hash(CredentialCommands.binding(sid), token)));
    VerifyAccounts accounts = new VerifyAccounts(pool, credentials, hasher, Clock.systemUTC());
    String basic = "Basic " + Base64.getEncoder().encodeToString((sid + ":" + token).getBytes(StandardCharsets.UTF_8));

    SqlConnection held = await(pool.getConnection()); // the pool's one connection: the next read waits for it
    Future<TwilioCredential> inFlight = accounts.authenticate(basic);
    accounts.forget(sid); // a removal's commit lands while that read waits
    held.close();
    assertEquals(sid, await(inFlight).accountSid(), "the read itself still saw the row");

    TestDatabases.execute(server.database, "delete from twilio_credentials where account_sid = '" + sid + "'");
    ExecutionException refused = assertThrows(ExecutionException.class, () -> await(accounts.authenticate(basic)),
      "the removed credential is read again, not taken from what the earlier read kept");
    assertEquals(TwilioError.class, refused.getCause().getClass());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
  }
}
