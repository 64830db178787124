package dev.mfaservice.twilioverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.Service;
import com.twilio.rest.verify.v2.service.RateLimit;
import com.twilio.rest.verify.v2.service.ratelimit.Bucket;
import dev.mfaservice.support.TestDatabases;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.TwilioVerifyClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Service Rate Limits and their Buckets through twilio-java's own classes: every operation, the rows and events they
 * leave in PostgreSQL, and every refusal with Twilio's code.
 */
class VerifyRateLimitsTest {
  static TestServer server;
  static TwilioRestClient client;
  static TwilioRestClient otherOrg;
  static String service;

  @BeforeAll
  static void start() {
    server = TestServer.start(VerifyRateLimitsTest.class);
    client = clientOf(server.createOrg("Limits Org"));
    otherOrg = clientOf(server.createOrg("Other Org"));
    service = Service.creator("Acme").create(client).getSid();
  }

  static TwilioRestClient clientOf(String org) {
    JsonObject credential = server.http.post("/v2/organizations/" + org + "/twilio_credentials", server.adminToken(),
      new JsonObject()).json();
    return TwilioVerifyClient.of(server.config.http().port(), credential.getString("accountSid"),
      credential.getString("authToken"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static int error(Executable call) {
    return assertThrows(ApiException.class, call).getCode();
  }

  static long events(String aggregateId, String type) {
    return TestDatabases.count(server.database, "select count(*) from events where aggregate_id = '" + aggregateId
      + "' and event_type = '" + type + "'");
  }

  @Test
  void aRateLimitAndItsBucketsAreCreatedReadChangedAndDeleted() {
    RateLimit created = RateLimit.creator(service, "end_user_ip_address").setDescription("Limit on end user IP")
      .create(client);
    String rk = created.getSid();
    assertTrue(rk.matches("RK[0-9a-f]{32}"), rk);
    assertEquals(service, created.getServiceSid());
    assertEquals("end_user_ip_address", created.getUniqueName());
    assertEquals("Limit on end user IP", created.getDescription());
    assertTrue(created.getUrl().toString().endsWith("/v2/Services/" + service + "/RateLimits/" + rk), created.getUrl().toString());
    assertEquals(created.getUrl() + "/Buckets", created.getLinks().get("buckets"));
    assertEquals(rk, RateLimit.fetcher(service, rk).fetch(client).getSid());
    List<String> limits = new ArrayList<>();
    RateLimit.reader(service).read(client).forEach(l -> limits.add(l.getSid()));
    assertTrue(limits.contains(rk), limits.toString());
    assertEquals("IPs", RateLimit.updater(service, rk).setDescription("IPs").update(client).getDescription());
    assertEquals("end_user_ip_address", RateLimit.fetcher(service, rk).fetch(client).getUniqueName());

    Bucket bucket = Bucket.creator(service, rk, 3, 60).create(client);
    assertTrue(bucket.getSid().matches("BL[0-9a-f]{32}"), bucket.getSid());
    assertEquals(rk, bucket.getRateLimitSid());
    assertEquals(service, bucket.getServiceSid());
    assertEquals(3, bucket.getMax());
    assertEquals(60, bucket.getInterval());
    Bucket daily = Bucket.creator(service, rk, 50, 86_400).create(client);
    assertEquals(60, Bucket.fetcher(service, rk, bucket.getSid()).fetch(client).getInterval());
    List<String> listed = new ArrayList<>();
    Bucket.reader(service, rk).pageSize(1).read(client).forEach(b -> listed.add(b.getSid()));
    assertEquals(List.of(bucket.getSid(), daily.getSid()), listed, "both, oldest first, over two pages");
    Bucket changed = Bucket.updater(service, rk, bucket.getSid()).setMax(4).setInterval(120).update(client);
    assertEquals(4, changed.getMax());
    assertEquals(120, changed.getInterval());
    assertEquals(5, Bucket.updater(service, rk, bucket.getSid()).setMax(5).update(client).getMax());
    assertEquals(120, Bucket.fetcher(service, rk, bucket.getSid()).fetch(client).getInterval(), "kept");

    assertTrue(Bucket.deleter(service, rk, bucket.getSid()).delete(client));
    assertEquals(20404, error(() -> Bucket.fetcher(service, rk, bucket.getSid()).fetch(client)));
    assertTrue(RateLimit.deleter(service, rk).delete(client));
    assertEquals(20404, error(() -> RateLimit.fetcher(service, rk).fetch(client)));
    assertEquals(20404, error(() -> Bucket.fetcher(service, rk, daily.getSid()).fetch(client)));
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from verify_rate_limit_buckets where sid = '"
      + daily.getSid() + "'"), "the limit's buckets went with it");
    for (String type : new String[] {"added", "removed"}) {
      assertEquals(1, events(rk, "verify.rate_limit." + type), type);
      assertEquals(1, events(bucket.getSid(), "verify.rate_limit.bucket." + type), type);
    }
    assertEquals(1, events(rk, "verify.rate_limit.changed"));
    assertEquals(2, events(bucket.getSid(), "verify.rate_limit.bucket.changed"));
  }

  @Test
  void uniqueNamesAreTwiliosFormatUniqueAndAtMostTenPerService() {
    String own = Service.creator("Names").create(client).getSid();
    assertEquals(60209, error(() -> RateLimit.creator(own, "end user ip").create(client)));
    assertEquals(60209, error(() -> RateLimit.creator(own, "ip/addr").create(client)));
    assertEquals(60209, error(() -> RateLimit.creator(own, "x".repeat(65)).create(client)));
    assertEquals("phone.number-1_a", RateLimit.creator(own, "phone.number-1_a").create(client).getUniqueName());
    assertEquals(60208, error(() -> RateLimit.creator(own, "phone.number-1_a").create(client)));
    for (int i = 2; i <= RateLimitCommands.MAX_PER_SERVICE; i++) {
      RateLimit.creator(own, "key" + i).create(client);
    }
    assertEquals(60207, error(() -> RateLimit.creator(own, "one_too_many").create(client)));
    assertEquals(10, TestDatabases.count(server.database, "select count(*) from verify_rate_limits where service_sid = '"
      + own + "'"));
    Service.deleter(own).delete(client);
    assertEquals(0, TestDatabases.count(server.database, "select count(*) from verify_rate_limits where service_sid = '"
      + own + "'"), "a Service's removal removes its rate limits");
  }

  @Test
  void aRateLimitHasAtMostFiveBucketsEachOfItsOwnInterval() {
    String rk = RateLimit.creator(service, "session_id").create(client).getSid();
    String first = Bucket.creator(service, rk, 1, 10).create(client).getSid();
    assertEquals(60211, error(() -> Bucket.creator(service, rk, 2, 10).create(client)));
    for (int i = 2; i <= RateLimitBucketCommands.MAX_PER_LIMIT; i++) {
      Bucket.creator(service, rk, i, 10 * i).create(client);
    }
    assertEquals(60210, error(() -> Bucket.creator(service, rk, 9, 999).create(client)));
    assertEquals(60211, error(() -> Bucket.updater(service, rk, first).setInterval(20).update(client)));
    assertEquals(10, Bucket.updater(service, rk, first).setInterval(10).update(client).getInterval(), "its own is fine");
    assertEquals(60200, error(() -> Bucket.updater(service, rk, first).setMax(0).update(client)));
    assertEquals(60200, error(() -> Bucket.creator(service, RateLimit.creator(service, "other").create(client).getSid(), 1,
      0).create(client)));
  }

  @Test
  void anotherOrgsServiceAndAWrongTokenGetTwiliosErrors() {
    String rk = RateLimit.creator(service, "user_agent").create(client).getSid();
    String bl = Bucket.creator(service, rk, 1, 60).create(client).getSid();
    assertEquals(20404, error(() -> RateLimit.creator(service, "mine").create(otherOrg)));
    assertEquals(20404, error(() -> RateLimit.reader(service).read(otherOrg).iterator().hasNext()));
    assertEquals(20404, error(() -> RateLimit.fetcher(service, rk).fetch(otherOrg)));
    assertEquals(20404, error(() -> RateLimit.updater(service, rk).setDescription("x").update(otherOrg)));
    assertEquals(20404, error(() -> RateLimit.deleter(service, rk).delete(otherOrg)));
    assertEquals(20404, error(() -> Bucket.creator(service, rk, 1, 5).create(otherOrg)));
    assertEquals(20404, error(() -> Bucket.reader(service, rk).read(otherOrg).iterator().hasNext()));
    assertEquals(20404, error(() -> Bucket.fetcher(service, rk, bl).fetch(otherOrg)));
    assertEquals(20404, error(() -> Bucket.updater(service, rk, bl).setMax(9).update(otherOrg)));
    assertEquals(20404, error(() -> Bucket.deleter(service, rk, bl).delete(otherOrg)));
    assertEquals(20404, error(() -> RateLimit.fetcher(service, "RK" + "0".repeat(32)).fetch(client)));
    assertEquals(20404, error(() -> RateLimit.fetcher(service, bl).fetch(client)), "a bucket's sid is no limit's");
    TwilioRestClient wrong = TwilioVerifyClient.of(server.config.http().port(), "AC" + "1".repeat(32), "0".repeat(32));
    ApiException refused = assertThrows(ApiException.class, () -> RateLimit.fetcher(service, rk).fetch(wrong));
    assertEquals(20003, refused.getCode());
    assertEquals(401, refused.getStatusCode());
    assertEquals(1, Bucket.fetcher(service, rk, bl).fetch(client).getMax(), "nothing changed");
  }
}
