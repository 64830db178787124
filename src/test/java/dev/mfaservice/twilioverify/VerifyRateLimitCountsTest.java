package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.Service;
import com.twilio.rest.verify.v2.service.RateLimit;
import com.twilio.rest.verify.v2.service.Verification;
import com.twilio.rest.verify.v2.service.ratelimit.Bucket;
import dev.mfaservice.support.ContractCheck;
import dev.mfaservice.support.FakeTwilio;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.TestClock;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.TwilioVerifyClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RateLimits on Create Verification, counted in PostgreSQL by two instances on one database: the (Max + 1)-th create
 * with a value is refused 429 20429 with Retry-After and leaves nothing behind (no verification, no SMS), another value
 * is admitted, the same after the interval; of 20 parallel creates over both instances exactly Max are admitted.
 * twilio-java's clients here do not retry (Apache's default would sleep out Retry-After and send again).
 */
class VerifyRateLimitCountsTest {
  static final String IP = "end_user_ip_address";
  static final TestClock clock = new TestClock();
  static FakeTwilio twilio;
  static TestServer first;
  static TestServer second;
  static TwilioRestClient client;
  static TwilioRestClient replica;
  static String basic;

  @BeforeAll
  static void start() {
    twilio = FakeTwilio.start();
    Map<String, String> env = twilio.replicaEnv("41");
    env.put("MFA_LIMITS_SMS_PER_PREFIX_PER_HOUR", "1000");  // the send limits are VerifySendLimitsTest's
    env.put("MFA_LIMITS_PER_ADDRESS_INTERVAL_SECONDS", "0");
    first = TestServer.start(VerifyRateLimitCountsTest.class, env, clock);
    second = TestServer.startOn(first.database, VerifyRateLimitCountsTest.class, env, clock);
    String org = first.createOrg("Rate Limited Org");
    JsonObject credential = first.http.post("/v2/organizations/" + org + "/twilio_credentials", first.adminToken(),
      new JsonObject()).json();
    String accountSid = credential.getString("accountSid");
    String authToken = credential.getString("authToken");
    client = TwilioVerifyClient.withoutRetries(first.config.http().port(), accountSid, authToken);
    replica = TwilioVerifyClient.withoutRetries(second.config.http().port(), accountSid, authToken);
    basic = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    second.stopKeepingDatabase();
    first.close();
    twilio.close();
  }

  /** A Service with one rate limit on the end user's IP and one bucket of {@code max} per {@code interval} seconds. */
  static String limitedService(int max, int interval) {
    String service = Service.creator("Acme").create(client).getSid();
    Bucket.creator(service, RateLimit.creator(service, IP).create(client).getSid(), max, interval).create(client);
    return service;
  }

  static String create(TwilioRestClient on, String service, String to, String ip) {
    try {
      return Verification.creator(service, to, "sms").setRateLimits(Map.of(IP, ip)).create(on).getStatus();
    } catch (ApiException e) {
      return String.valueOf(e.getCode());
    }
  }

  /** A create over plain HTTP, its answer checked against the Twilio contract. */
  static HttpResponse<String> raw(String service, String to, String rateLimits) throws Exception {
    String path = "/v2/Services/" + service + "/Verifications";
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + first.config.http().port() + path)).header("Authorization", basic)
      .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("To="
        + URLEncoder.encode(to, StandardCharsets.UTF_8) + "&Channel=sms&RateLimits="
        + URLEncoder.encode(rateLimits, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    ContractCheck.get().verify("POST", path, new Http.Reply(r.statusCode(), r.headers().firstValue("Content-Type")
      .orElse(""), r.body(), r, null));
    return r;
  }

  static long rows(String sql) {
    return TestDatabases.count(first.database, sql);
  }

  @Test
  void theFourthCreateOfAValueIsRefusedAnotherValueIsAdmittedAndTheSameAfterTheInterval() throws Exception {
    String service = limitedService(3, 60);
    for (int i = 1; i <= 3; i++) {
      assertEquals("pending", create(client, service, "+4179120000" + i, "1.2.3.4"), "create " + i);
    }
    HttpResponse<String> refused = raw(service, "+41791200004", "{\"" + IP + "\":\"1.2.3.4\"}");
    assertEquals(429, refused.statusCode(), refused.body());
    assertEquals(new JsonObject().put("code", 20429).put("message", "Too many requests")
      .put("more_info", "https://www.twilio.com/docs/errors/20429").put("status", 429), new JsonObject(refused.body()));
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= TwilioError.MAX_RETRY_AFTER_SECONDS, "Retry-After " + retryAfter);
    assertEquals("20429", create(replica, service, "+41791200004", "1.2.3.4"), "the other instance counts the same");
    assertEquals("pending", create(client, service, "+41791200005", "5.6.7.8"), "another value");

    twilio.await("+41791200005", 1, 10_000);
    Thread.sleep(1500);
    assertEquals(List.of(), twilio.to("+41791200004"), "the refused creates sent nothing");
    assertEquals(0, rows("select count(*) from verify_verifications where to_address = '+41791200004'"));
    assertEquals(0, rows("select count(*) from outbox where recipient = '+41791200004'"));
    assertEquals(4, rows("select count(*) from events where event_type = 'verify.verification.started'"
      + " and payload->>'serviceSid' = '" + service + "'"));
    assertEquals(3, rows("select hits from verify_rate_limit_counts c join verify_rate_limit_buckets b on b.sid = c.bucket_sid"
      + " join verify_rate_limits l on l.sid = b.rate_limit_sid where l.service_sid = '" + service + "' order by hits desc limit 1"),
      "the refused creates counted nothing");
    assertEquals(0, rows("select count(*) from verify_rate_limit_counts where position(convert_to('1.2.3.4', 'UTF8')"
      + " in value_hash) > 0 or length(value_hash) <> 32"), "only keyed hashes of the values are kept");

    clock.advance(Duration.ofSeconds(61));
    assertEquals("pending", create(replica, service, "+41791200006", "1.2.3.4"), "a new window");
    assertEquals(1, rows("select count(*) from verify_rate_limit_counts c join verify_rate_limit_buckets b"
      + " on b.sid = c.bucket_sid join verify_rate_limits l on l.sid = b.rate_limit_sid where l.service_sid = '" + service
      + "'"), "the new window in the same row; the other value's passed window swept by the create");
  }

  @Test
  void everyCreateCountsResendsOfAPendingVerificationToo() {
    String service = limitedService(2, 3600);
    String to = "+41791200011";
    assertEquals("pending", create(client, service, to, "9.9.9.9"));
    assertEquals("pending", create(client, service, to, "9.9.9.9"), "the same verification sent again");
    assertEquals("20429", create(client, service, to, "9.9.9.9"));
    assertEquals(2, twilio.await(to, 2, 10_000).size());
    assertEquals(2, rows("select jsonb_array_length(attempts) from verify_verifications where to_address = '" + to + "'"),
      "no send attempt for the refused one");
  }

  @Test
  void aNameTheServiceHasNoRateLimitForOrAValueThatIsNoScalarIs60200() throws Exception {
    String service = limitedService(5, 60);
    ApiException unknown = assertThrows(ApiException.class, () -> Verification.creator(service, "+41791200021", "sms")
      .setRateLimits(Map.of("session_id", "abc")).create(client));
    assertEquals(60200, unknown.getCode());
    assertEquals("Invalid parameter: RateLimits", unknown.getMessage());
    assertEquals(400, raw(service, "+41791200021", "not json").statusCode());
    assertEquals(400, raw(service, "+41791200021", "{\"" + IP + "\":{\"a\":1}}").statusCode());
    assertEquals(400, raw(service, "+41791200021", "[\"1.2.3.4\"]").statusCode());
    assertEquals(0, rows("select count(*) from verify_verifications where to_address = '+41791200021'"));
    assertEquals("pending", create(client, service, "+41791200022", "1.2.3.4"));
  }

  @Test
  void ofTwentyParallelCreatesOverTwoInstancesExactlyMaxAreAdmitted() throws Exception {
    String service = limitedService(3, 3600);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String to = "+417912001" + String.format("%02d", i);
        TwilioRestClient on = i % 2 == 0 ? client : replica;
        calls.add(() -> create(on, service, to, "10.0.0.1"));
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : pool.invokeAll(calls)) {
        outcomes.add(f.get());
      }
      assertEquals(3, outcomes.stream().filter("pending"::equals).count(), outcomes.toString());
      assertEquals(17, outcomes.stream().filter("20429"::equals).count(), outcomes.toString());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, rows("select count(*) from verify_verifications where service_sid = '" + service + "'"));
    Thread.sleep(2000);
    assertEquals(3, twilio.sentCount("+417912001"), "three SMS");
  }
}
