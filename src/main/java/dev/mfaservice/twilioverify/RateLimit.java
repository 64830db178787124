package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A Service Rate Limit (RK) of one Verify Service: the key ({@code uniqueName}) an app names in a Create
 * Verification's {@code RateLimits}. {@code sequence} is the newest event's, for the next change's expected sequence.
 */
record RateLimit(String sid, String orgId, String serviceSid, String accountSid, String uniqueName, String description,
                 long sequence, Instant createdAt, Instant updatedAt) {

  /** As stored after an event at {@code at} with {@code newSequence}. */
  RateLimit at(long newSequence, Instant at) {
    return new RateLimit(sid, orgId, serviceSid, accountSid, uniqueName, description, newSequence,
      createdAt == null ? at : createdAt, at);
  }

  RateLimit describedAs(String newDescription) {
    return new RateLimit(sid, orgId, serviceSid, accountSid, uniqueName, newDescription, sequence, createdAt, updatedAt);
  }

  /** The event's payload: snake_case as on the wire. */
  JsonObject payload() {
    return new JsonObject().put("service_sid", serviceSid).put("unique_name", uniqueName).put("description", description);
  }

  /** Twilio's {@code verify.v2.service.rate_limit}. */
  JsonObject json(String baseUrl) {
    String url = baseUrl + "/v2/Services/" + serviceSid + "/RateLimits/" + sid;
    return new JsonObject().put("sid", sid).put("service_sid", serviceSid).put("account_sid", accountSid)
      .put("unique_name", uniqueName).put("description", description)
      .put("date_created", ServiceJson.date(createdAt)).put("date_updated", ServiceJson.date(updatedAt)).put("url", url)
      .put("links", new JsonObject().put("buckets", url + "/Buckets"));
  }
}
