package dev.mfaservice.twilioverify;

import static dev.mfaservice.twilioverify.VerifyTotpFixture.error;
import static dev.mfaservice.twilioverify.VerifyTotpFixture.identity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.service.entity.Challenge;
import com.twilio.rest.verify.v2.service.entity.Challenge.ChallengeStatuses;
import com.twilio.rest.verify.v2.service.entity.Factor;
import com.twilio.rest.verify.v2.service.entity.NewFactor;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TOTP Challenges through twilio-java's own classes against the running service (issue 28); time moved by a test clock. */
class VerifyTotpChallengesTest {
  static VerifyTotpFixture f;
  static TwilioRestClient client;
  static String service;

  @BeforeAll
  static void start() {
    f = new VerifyTotpFixture(VerifyTotpChallengesTest.class);
    client = f.client;
    service = f.service();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  /** A verified factor of a new Entity: {identity, factor sid, secret}; its verification used the current step. */
  static String[] verifiedFactor() {
    String identity = identity();
    NewFactor created = NewFactor.creator(service, identity, "Phone", NewFactor.FactorTypes.TOTP).create(client);
    String secret = (String) ((Map<?, ?>) created.getBinding()).get("secret");
    Factor.updater(service, identity, created.getSid()).setAuthPayload(f.code(secret)).update(client);
    return new String[] {identity, created.getSid(), secret};
  }

  /** The next time step: a code not used yet. */
  static void nextStep() {
    f.clock.advance(Duration.ofSeconds(60));
  }

  static Challenge check(String identity, String sid, String code) {
    return Challenge.updater(service, identity, sid).setAuthPayload(code).update(client);
  }

  @Test
  void aChallengeIsPendingUntilTheRightCodeApprovesItOnce() {
    String[] factor = verifiedFactor();
    String identity = factor[0];
    Challenge created = Challenge.creator(service, identity, factor[1]).setDetailsMessage("Sign in to Acme")
      .setDetailsFields(List.of(Map.of("label", "Action", "value", "Sign in"))).setHiddenDetails(Map.of("ip", "10.0.0.1"))
      .create(client);
    assertTrue(created.getSid().matches("YC[0-9a-f]{32}"), created.getSid());
    assertEquals(ChallengeStatuses.PENDING, created.getStatus());
    assertEquals(Challenge.FactorTypes.TOTP, created.getFactorType());
    assertEquals(factor[1], created.getFactorSid());
    assertNull(created.getDateResponded());
    assertEquals(created.getDateCreated().plusMinutes(5), created.getExpirationDate(), "5 minutes by default");
    assertEquals("Sign in to Acme", ((Map<?, ?>) created.getDetails()).get("message"));
    assertEquals(List.of(Map.of("label", "Action", "value", "Sign in")), ((Map<?, ?>) created.getDetails()).get("fields"));
    assertEquals(Map.of("ip", "10.0.0.1"), created.getHiddenDetails());
    assertEquals(created.getUrl() + "/Notifications", created.getLinks().get("notifications"));

    assertEquals(ChallengeStatuses.PENDING, check(identity, created.getSid(), f.wrong(factor[2])).getStatus());
    nextStep();
    Challenge approved = check(identity, created.getSid(), f.code(factor[2]));
    assertEquals(ChallengeStatuses.APPROVED, approved.getStatus());
    assertNotNull(approved.getDateResponded());
    nextStep();
    assertEquals(60306, error(() -> check(identity, created.getSid(), f.code(factor[2]))), "approved once");
    assertEquals(ChallengeStatuses.APPROVED, Challenge.fetcher(service, identity, created.getSid()).fetch(client).getStatus());
    for (String type : new String[] {"created", "check_failed", "approved"}) {
      assertEquals(1, f.events(created.getSid(), "verify.challenge." + type), type);
    }
    assertEquals(1, f.count("select count(*) from verify_challenges where sid = '" + created.getSid()
      + "' and status = 'approved' and failed_checks = 1 and responded_at is not null"));
  }

  @Test
  void aCodeWithTheCreateIsCheckedAtOnceAndATimeStepIsAcceptedOnce() {
    String[] factor = verifiedFactor();
    String identity = factor[0];
    String used = f.code(factor[2]);
    Challenge replayOfVerification = Challenge.creator(service, identity, factor[1]).setAuthPayload(used).create(client);
    assertEquals(ChallengeStatuses.PENDING, replayOfVerification.getStatus(), "the factor's verification used this step");
    nextStep();
    String fresh = f.code(factor[2]);
    Challenge approved = Challenge.creator(service, identity, factor[1]).setAuthPayload(fresh).create(client);
    assertEquals(ChallengeStatuses.APPROVED, approved.getStatus());
    assertEquals(ChallengeStatuses.PENDING, check(identity, replayOfVerification.getSid(), fresh).getStatus(),
      "another challenge of the factor approved with this step");
    assertEquals(ChallengeStatuses.APPROVED, check(identity, replayOfVerification.getSid(), f.code(factor[2], "HmacSHA1", 8,
      60, 1)).getStatus(), "the next step's code, within the skew");
    assertEquals(ChallengeStatuses.PENDING, Challenge.creator(service, identity, factor[1]).setAuthPayload(f.wrong(factor[2]))
      .create(client).getStatus());

    List<String> approvedSids = new ArrayList<>();
    Challenge.reader(service, identity).setFactorSid(factor[1]).setStatus(ChallengeStatuses.APPROVED)
      .setOrder(Challenge.ListOrders.DESC).pageSize(1).read(client).forEach(c -> approvedSids.add(c.getSid()));
    assertEquals(List.of(approved.getSid(), replayOfVerification.getSid()), approvedSids, "newest first");
    List<String> pending = new ArrayList<>();
    Challenge.reader(service, identity).setStatus(ChallengeStatuses.PENDING).read(client).forEach(c -> pending.add(c.getSid()));
    assertEquals(1, pending.size());
  }

  @Test
  void aChallengeOfAnUnverifiedOrUnknownFactorIsRefused() {
    String identity = identity();
    NewFactor unverified = NewFactor.creator(service, identity, "Phone", NewFactor.FactorTypes.TOTP).create(client);
    ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
      () -> Challenge.creator(service, identity, unverified.getSid()).create(client));
    assertEquals(60318, refused.getCode());
    assertEquals(403, refused.getStatusCode());
    assertEquals(20404, error(() -> Challenge.creator(service, identity, "YF" + "0".repeat(32)).create(client)));
    assertEquals(60306, error(() -> Challenge.creator(service, identity, "YX12").create(client)));
    assertEquals(20404, error(() -> Challenge.fetcher(service, identity, "YC" + "0".repeat(32)).fetch(client)));
  }

  @Test
  void anExpirationDateIsWithinAnHourAndAnExpiredChallengeIsRefused() {
    String[] factor = verifiedFactor();
    String identity = factor[0];
    ZonedDateTime now = ZonedDateTime.ofInstant(f.clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    assertEquals(60306, error(() -> Challenge.creator(service, identity, factor[1]).setExpirationDate(now.plusMinutes(61))
      .create(client)));
    assertEquals(60306, error(() -> Challenge.creator(service, identity, factor[1]).setExpirationDate(now.minusMinutes(1))
      .create(client)));
    Challenge created = Challenge.creator(service, identity, factor[1]).setExpirationDate(now.plusMinutes(10)).create(client);
    assertEquals(now.plusMinutes(10).toInstant(), created.getExpirationDate().toInstant());
    f.clock.advance(Duration.ofMinutes(11));
    assertEquals(ChallengeStatuses.EXPIRED, Challenge.fetcher(service, identity, created.getSid()).fetch(client).getStatus());
    ApiException expired = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
      () -> check(identity, created.getSid(), f.code(factor[2])));
    assertEquals(60323, expired.getCode());
    assertEquals(403, expired.getStatusCode());
    assertEquals(1, f.events(created.getSid(), "verify.challenge.expired"));
    assertEquals(1, f.count("select count(*) from verify_challenges where sid = '" + created.getSid()
      + "' and status = 'expired'"));
    List<String> listed = new ArrayList<>();
    Challenge.reader(service, identity).setStatus(ChallengeStatuses.EXPIRED).read(client).forEach(c -> listed.add(c.getSid()));
    assertEquals(List.of(created.getSid()), listed);
  }

  @Test
  void theFifthWrongCodeEndsTheChallenge() {
    String[] factor = verifiedFactor();
    String identity = factor[0];
    Challenge created = Challenge.creator(service, identity, factor[1]).create(client);
    for (int i = 1; i <= 4; i++) {
      assertEquals(ChallengeStatuses.PENDING, check(identity, created.getSid(), f.wrong(factor[2])).getStatus());
    }
    assertEquals(60308, error(() -> check(identity, created.getSid(), f.wrong(factor[2]))));
    nextStep();
    assertEquals(60308, error(() -> check(identity, created.getSid(), f.code(factor[2]))), "the right code is too late");
    assertEquals(1, f.events(created.getSid(), "verify.challenge.max_attempts_reached"));
    assertEquals(1, f.count("select count(*) from verify_challenges where sid = '" + created.getSid()
      + "' and failed_checks = 5 and status = 'pending'"));
  }

  @Test
  void ofTwentyParallelChecksWithTheRightCodeOneApproves() throws Exception {
    String[] factor = verifiedFactor();
    Challenge created = Challenge.creator(service, factor[0], factor[1]).create(client);
    nextStep();
    String code = f.code(factor[2]);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(() -> {
          try {
            return check(factor[0], created.getSid(), code).getStatus().toString();
          } catch (ApiException e) {
            return String.valueOf(e.getCode());
          }
        });
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> outcome : pool.invokeAll(calls)) {
        outcomes.add(outcome.get());
      }
      assertEquals(1, outcomes.stream().filter("approved"::equals).count(), outcomes.toString());
      assertEquals(19, outcomes.stream().filter("60306"::equals).count(), outcomes.toString());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, f.events(created.getSid(), "verify.challenge.approved"));
  }
}
