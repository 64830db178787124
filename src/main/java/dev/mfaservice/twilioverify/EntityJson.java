package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Entities, Factors and Challenges as Twilio answers them (verify.v2.service.entity, …entity.factor,
 * …entity.new_factor, …entity.challenge): snake_case, absolute url and links.
 */
final class EntityJson {
  private EntityJson() {
  }

  static JsonObject entity(VerifyEntity e, String baseUrl) {
    String url = baseUrl + e.path();
    return new JsonObject().put("sid", e.sid()).put("identity", e.identity()).put("account_sid", e.accountSid())
      .put("service_sid", e.serviceSid()).put("date_created", ServiceJson.date(e.createdAt()))
      .put("date_updated", ServiceJson.date(e.updatedAt())).put("url", url).put("links", new JsonObject()
        .put("factors", url + "/Factors").put("new_factors", url + "/Factors").put("challenges", url + "/Challenges"));
  }

  /** A factor without its binding: every answer but its create's. */
  static JsonObject factor(FactorCommands.Shown shown, String baseUrl) {
    VerifyEntity e = shown.entity();
    VerifyFactor f = shown.factor();
    return owned(e).put("sid", f.sid()).put("date_created", ServiceJson.date(f.createdAt()))
      .put("date_updated", ServiceJson.date(f.updatedAt())).put("friendly_name", f.friendlyName())
      .put("status", f.status()).put("factor_type", VerifyFactor.TYPE).put("config", f.config())
      .put("metadata", f.metadata()).put("url", baseUrl + e.path() + "/Factors/" + f.sid());
  }

  /** The create's answer: the only one with the binding (secret and otpauth URI, SEC T9). */
  static JsonObject newFactor(FactorCommands.Shown shown, String baseUrl) {
    return factor(shown, baseUrl).put("binding", new JsonObject().put("secret", shown.secret()).put("uri", shown.uri()))
      .putNull("options");
  }

  static JsonObject challenge(ChallengeCommands.Shown shown, Instant now, String baseUrl) {
    VerifyEntity e = shown.entity();
    VerifyChallenge c = shown.challenge();
    String url = baseUrl + e.path() + "/Challenges/" + c.sid();
    return owned(e).put("sid", c.sid()).put("factor_sid", c.factorSid())
      .put("date_created", ServiceJson.date(c.createdAt())).put("date_updated", ServiceJson.date(c.updatedAt()))
      .put("date_responded", c.respondedAt() == null ? null : ServiceJson.date(c.respondedAt()))
      .put("expiration_date", ServiceJson.date(c.expiresAt())).put("status", c.statusAt(now))
      .put("responded_reason", "none").put("details", c.details()).put("hidden_details", c.hiddenDetails())
      .put("metadata", c.metadata()).put("factor_type", VerifyFactor.TYPE).put("url", url)
      .put("links", new JsonObject().put("notifications", url + "/Notifications"));
  }

  private static JsonObject owned(VerifyEntity e) {
    return new JsonObject().put("account_sid", e.accountSid()).put("service_sid", e.serviceSid())
      .put("entity_sid", e.sid()).put("identity", e.identity());
  }
}
