package dev.mfaservice.twilioverify;

import static dev.mfaservice.twilioverify.VerifyTotpFixture.error;
import static dev.mfaservice.twilioverify.VerifyTotpFixture.identity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.base.ResourceSet;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.verify.v2.service.Entity;
import com.twilio.rest.verify.v2.service.entity.Factor;
import com.twilio.rest.verify.v2.service.entity.NewFactor;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TwilioVerifyClient;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Entities and TOTP Factors through twilio-java's own classes against the running service (issue 28). */
class VerifyTotpFactorsTest {
  static VerifyTotpFixture f;
  static TwilioRestClient client;
  static String service;

  @BeforeAll
  static void start() {
    f = new VerifyTotpFixture(VerifyTotpFactorsTest.class);
    client = f.client;
    service = f.service();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static NewFactor factor(String identity) {
    return NewFactor.creator(service, identity, "Ada's phone", NewFactor.FactorTypes.TOTP).create(client);
  }

  static String secret(NewFactor created) {
    return (String) ((Map<?, ?>) created.getBinding()).get("secret");
  }

  @Test
  void anEntityIsCreatedFetchedListedAndDeletedWithItsFactorsAndChallenges() {
    String identity = identity();
    Entity created = Entity.creator(service, identity).create(client);
    assertTrue(created.getSid().matches("YE[0-9a-f]{32}"), created.getSid());
    assertEquals(identity, created.getIdentity());
    assertEquals(f.accountSid, created.getAccountSid());
    String url = "http://verify.twilio.com/v2/Services/" + service + "/Entities/" + identity;
    assertEquals(url, created.getUrl().toString());
    assertEquals(Map.of("factors", url + "/Factors", "new_factors", url + "/Factors", "challenges", url + "/Challenges"),
      created.getLinks());
    assertEquals(created.getSid(), Entity.creator(service, identity).create(client).getSid(), "the same Identity");
    assertEquals(created.getSid(), Entity.fetcher(service, identity).fetch(client).getSid());
    Entity.creator(service, identity()).create(client);
    List<String> listed = new ArrayList<>();
    ResourceSet<Entity> all = Entity.reader(service).pageSize(1).read(client);
    all.forEach(e -> listed.add(e.getIdentity()));
    assertTrue(listed.size() >= 2 && listed.contains(identity), listed.toString());
    assertEquals(1, f.events(created.getSid(), "verify.entity.added"));

    NewFactor factor = factor(identity);
    assertTrue(Entity.deleter(service, identity).delete(client));
    assertEquals(20404, error(() -> Entity.fetcher(service, identity).fetch(client)));
    assertEquals(20404, error(() -> Factor.fetcher(service, identity, factor.getSid()).fetch(client)));
    assertEquals(1, f.events(created.getSid(), "verify.entity.removed"));
    assertEquals(0, f.count("select count(*) from verify_factors where sid = '" + factor.getSid() + "'"));
    assertEquals(20404, error(() -> Entity.deleter(service, identity).delete(client)));
  }

  @Test
  void anIdentityIsEightToSixtyFourDashSeparatedAlphanumerics() {
    assertEquals(60306, error(() -> Entity.creator(service, "short").create(client)));
    assertEquals(60306, error(() -> Entity.creator(service, "with_underscore").create(client)));
    assertEquals(60306, error(() -> Entity.creator(service, "a".repeat(65)).create(client)));
    assertEquals(60306, error(() -> Entity.creator(service, "trailing-dash-").create(client)));
    assertEquals(60306, error(() -> Entity.fetcher(service, "x.y.z.1234").fetch(client)));
    assertEquals(60306, error(() -> factor("bad_identity")));
    assertEquals(20404, error(() -> Entity.fetcher(service, identity()).fetch(client)));
  }

  @Test
  void aFactorIsCreatedWithItsEntityAndVerifiedByItsCodeWithTheBindingShownOnce() {
    String identity = identity();
    NewFactor created = factor(identity);
    assertTrue(created.getSid().matches("YF[0-9a-f]{32}"), created.getSid());
    assertEquals(NewFactor.FactorStatuses.UNVERIFIED, created.getStatus());
    assertEquals(NewFactor.FactorTypes.TOTP, created.getFactorType());
    assertEquals(Entity.fetcher(service, identity).fetch(client).getSid(), created.getEntitySid(), "the Entity made with it");
    assertEquals(Map.of("alg", "sha1", "skew", 1, "code_length", 8, "time_step", 60), created.getConfig(),
      "the Service's totp settings");
    String secret = secret(created);
    assertTrue(secret.matches("[A-Z2-7]{32}"), secret);
    assertEquals("otpauth://totp/Acme%20Corp:Ada%27s%20phone?algorithm=SHA1&digits=8&issuer=Acme%20Corp&period=60&secret="
      + secret, ((Map<?, ?>) created.getBinding()).get("uri"));

    String path = "/v2/Services/" + service + "/Entities/" + identity + "/Factors/" + created.getSid();
    JsonObject fetched = f.raw("GET", path).json();
    assertFalse(fetched.containsKey("binding"), "the binding only in the create's answer");
    assertEquals("unverified", fetched.getString("status"));
    assertEquals(60306, error(() -> Factor.updater(service, identity, created.getSid()).setAuthPayload("12ab").update(client)),
      "not a code of the factor: refused, not counted");
    Factor miss = Factor.updater(service, identity, created.getSid()).setAuthPayload(f.wrong(secret)).update(client);
    assertEquals(Factor.FactorStatuses.UNVERIFIED, miss.getStatus(), "a wrong code is no error since Oct 2021");
    Factor verified = Factor.updater(service, identity, created.getSid()).setAuthPayload(f.code(secret)).update(client);
    assertEquals(Factor.FactorStatuses.VERIFIED, verified.getStatus());

    for (String type : new String[] {"added", "verification_failed", "verified"}) {
      assertEquals(1, f.events(created.getSid(), "verify.factor." + type), type);
    }
    assertEquals(0, f.count("select count(*) from verify_factors where position(convert_to('" + secret
      + "', 'UTF8') in secret_sealed) > 0"), "the secret is sealed");
    assertEquals(1, f.count("select count(*) from verify_factors where sid = '" + created.getSid()
      + "' and status = 'verified' and failed_checks = 1"));
    assertEquals(0, f.count("select count(*) from events where payload::text like '%" + secret + "%'"), "nor in events");
  }

  @Test
  void aGivenSecretAndItsConfigAreHonoured() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String secret = Rfc6238.base32Encode(key);
    String identity = identity();
    NewFactor created = NewFactor.creator(service, identity, "Key", NewFactor.FactorTypes.TOTP).setBindingSecret(secret)
      .setConfigAlg(NewFactor.TotpAlgorithms.SHA256).setConfigCodeLength(6).setConfigTimeStep(20).setConfigSkew(0)
      .setMetadata(Map.of("os", "Android")).create(client);
    assertEquals(secret, secret(created));
    assertEquals(Map.of("alg", "sha256", "skew", 0, "code_length", 6, "time_step", 20), created.getConfig());
    assertEquals(Map.of("os", "Android"), created.getMetadata());
    assertTrue(((String) ((Map<?, ?>) created.getBinding()).get("uri")).contains("algorithm=SHA256&digits=6"));
    String code = f.code(secret, "HmacSHA256", 6, 20, 0);
    assertEquals(Factor.FactorStatuses.VERIFIED, Factor.updater(service, identity, created.getSid()).setAuthPayload(code)
      .update(client).getStatus());

    NewFactor sha512 = NewFactor.creator(service, identity, "Three", NewFactor.FactorTypes.TOTP)
      .setConfigAlg(NewFactor.TotpAlgorithms.SHA512).setConfigCodeLength(3).create(client);
    assertEquals(Factor.FactorStatuses.VERIFIED, Factor.updater(service, identity, sha512.getSid())
      .setAuthPayload(f.code(secret(sha512), "HmacSHA512", 3, 60, 0)).update(client).getStatus());
  }

  @Test
  void theFifthWrongCodeEndsTheFactorsVerification() {
    String identity = identity();
    NewFactor created = factor(identity);
    String secret = secret(created);
    for (int i = 1; i <= 4; i++) {
      assertEquals(Factor.FactorStatuses.UNVERIFIED, Factor.updater(service, identity, created.getSid())
        .setAuthPayload(f.wrong(secret)).update(client).getStatus());
    }
    assertEquals(60310, error(() -> Factor.updater(service, identity, created.getSid()).setAuthPayload(f.wrong(secret))
      .update(client)));
    assertEquals(60310, error(() -> Factor.updater(service, identity, created.getSid()).setAuthPayload(f.code(secret))
      .update(client)), "the right code is too late");
    assertEquals(1, f.events(created.getSid(), "verify.factor.max_attempts_reached"));
    assertEquals(4, f.events(created.getSid(), "verify.factor.verification_failed"));
    assertEquals("unverified", f.raw("GET", "/v2/Services/" + service + "/Entities/" + identity + "/Factors/"
      + created.getSid()).json().getString("status"));
  }

  @Test
  void aFactorIsListedUpdatedAndDeleted() {
    String identity = identity();
    NewFactor one = factor(identity);
    NewFactor two = factor(identity);
    List<String> sids = new ArrayList<>();
    Factor.reader(service, identity).pageSize(1).read(client).forEach(x -> sids.add(x.getSid()));
    assertEquals(List.of(one.getSid(), two.getSid()), sids);
    Factor renamed = Factor.updater(service, identity, one.getSid()).setFriendlyName("Work phone").setConfigSkew(2)
      .setConfigAlg(Factor.TotpAlgorithms.SHA512).update(client);
    assertEquals("Work phone", renamed.getFriendlyName());
    assertEquals(Map.of("alg", "sha512", "skew", 2, "code_length", 8, "time_step", 60), renamed.getConfig());
    assertEquals(1, f.events(one.getSid(), "verify.factor.changed"));
    assertTrue(Factor.deleter(service, identity, one.getSid()).delete(client));
    assertEquals(20404, error(() -> Factor.fetcher(service, identity, one.getSid()).fetch(client)));
    assertEquals(1, f.events(one.getSid(), "verify.factor.removed"));
  }

  @Test
  void refusalsAreTwilios() {
    String identity = identity();
    assertEquals(60369, error(() -> NewFactor.creator(service, identity, "Push", NewFactor.FactorTypes.PUSH).create(client)));
    assertEquals(60369, error(() -> NewFactor.creator(service, identity, "Key", NewFactor.FactorTypes.PASSKEYS).create(client)));
    assertEquals(60306, error(() -> NewFactor.creator(service, identity, "x", NewFactor.FactorTypes.TOTP).setConfigTimeStep(10)
      .create(client)));
    assertEquals(60306, error(() -> NewFactor.creator(service, identity, "x", NewFactor.FactorTypes.TOTP).setConfigCodeLength(9)
      .create(client)));
    assertEquals(60306, error(() -> NewFactor.creator(service, identity, "x", NewFactor.FactorTypes.TOTP).setConfigSkew(3)
      .create(client)));
    assertEquals(60306, error(() -> NewFactor.creator(service, identity, "x", NewFactor.FactorTypes.TOTP)
      .setBindingSecret("not base32!").create(client)));
    assertEquals(20404, error(() -> Factor.fetcher(service, identity, "YF" + "0".repeat(32)).fetch(client)));
    assertEquals(20404, error(() -> Factor.fetcher(service, identity, "YC" + "0".repeat(32)).fetch(client)), "not a YF sid");

    String foreignOrg = f.server.createOrg("Foreign Org");
    JsonObject credential = f.server.http.post("/v2/organizations/" + foreignOrg + "/twilio_credentials",
      f.server.adminToken(), new JsonObject()).json();
    TwilioRestClient foreign = TwilioVerifyClient.of(f.server.config.http().port(), credential.getString("accountSid"),
      credential.getString("authToken"));
    NewFactor mine = factor(identity);
    assertEquals(20404, error(() -> Entity.fetcher(service, identity).fetch(foreign)), "another org's Service");
    assertEquals(20404, error(() -> Entity.creator(service, identity()).create(foreign)));
    assertEquals(20404, error(() -> Entity.reader(service).read(foreign).iterator().next()));
    assertEquals(20404, error(() -> NewFactor.creator(service, identity, "x", NewFactor.FactorTypes.TOTP).create(foreign)));
    assertEquals(20404, error(() -> Factor.fetcher(service, identity, mine.getSid()).fetch(foreign)));
    assertEquals(20404, error(() -> Factor.reader(service, identity).read(foreign).iterator().next()));
    assertEquals(20404, error(() -> Factor.deleter(service, identity, mine.getSid()).delete(foreign)));
    assertEquals(20404, error(() -> com.twilio.rest.verify.v2.service.entity.Challenge.reader(service, identity).read(foreign)
      .iterator().next()));
    TwilioRestClient wrong = TwilioVerifyClient.of(f.server.config.http().port(), f.accountSid, "0".repeat(32));
    assertEquals(20003, error(() -> Entity.fetcher(service, identity).fetch(wrong)));
  }
}
