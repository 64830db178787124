package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A Bucket (BL) of a rate limit: at most {@code max} Create Verifications per value in {@code interval} seconds. */
record RateLimitBucket(String sid, RateLimit limit, int max, int interval, long sequence, Instant createdAt,
                       Instant updatedAt) {

  /** As stored after an event at {@code at} with {@code newSequence}. */
  RateLimitBucket at(long newSequence, Instant at) {
    return new RateLimitBucket(sid, limit, max, interval, newSequence, createdAt == null ? at : createdAt, at);
  }

  /** This bucket with the {@code Max} and {@code Interval} that {@code input} sets; the others as they are. */
  RateLimitBucket with(JsonObject input) {
    return new RateLimitBucket(sid, limit, input.getInteger("Max", max), input.getInteger("Interval", interval), sequence,
      createdAt, updatedAt);
  }

  /** The event's payload. */
  JsonObject payload() {
    return new JsonObject().put("service_sid", limit.serviceSid()).put("rate_limit_sid", limit.sid()).put("max", max)
      .put("interval", interval);
  }

  /** Twilio's {@code verify.v2.service.rate_limit.bucket}. */
  JsonObject json(String baseUrl) {
    return new JsonObject().put("sid", sid).put("rate_limit_sid", limit.sid()).put("service_sid", limit.serviceSid())
      .put("account_sid", limit.accountSid()).put("max", max).put("interval", interval)
      .put("date_created", ServiceJson.date(createdAt)).put("date_updated", ServiceJson.date(updatedAt))
      .put("url", baseUrl + "/v2/Services/" + limit.serviceSid() + "/RateLimits/" + limit.sid() + "/Buckets/" + sid);
  }
}
