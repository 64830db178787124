package dev.mfaservice.twilioverify;

import dev.mfaservice.totp.TotpParameters;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A TOTP Factor (YF) of an Entity: its secret sealed with the keyring, its parameters (algorithm, digits, time step)
 * and skew, {@code lastUsedStep} (the newest time step accepted for it: its verification's or a challenge's) and the
 * wrong codes its verification got.
 */
record VerifyFactor(String sid, String entitySid, String friendlyName, String status, byte[] secretSealed,
                    TotpParameters parameters, int skew, long lastUsedStep, int failedChecks, JsonObject metadata,
                    long sequence, Instant createdAt, Instant updatedAt) {
  static final String UNVERIFIED = "unverified";
  static final String VERIFIED = "verified";
  static final String TYPE = "totp";

  boolean verified() {
    return VERIFIED.equals(status);
  }

  /** The associated data its secret is sealed with: it only opens for this factor (SEC S1). */
  static String sealingContext(String sid) {
    return "verify_factors:" + sid;
  }

  /** Twilio's {@code config}: alg in lower case, as sent. */
  JsonObject config() {
    return new JsonObject().put("alg", parameters.algorithm().toLowerCase(java.util.Locale.ROOT)).put("skew", skew)
      .put("code_length", parameters.digits()).put("time_step", parameters.periodSeconds());
  }

  /** With the fields of an update (FriendlyName, Config.*) that {@code in} sets. */
  VerifyFactor with(JsonObject in) {
    TotpParameters p = new TotpParameters(in.getString("Config.Alg", parameters.algorithm()).toUpperCase(java.util.Locale.ROOT),
      in.getInteger("Config.CodeLength", parameters.digits()), in.getInteger("Config.TimeStep", parameters.periodSeconds()));
    return new VerifyFactor(sid, entitySid, in.getString("FriendlyName", friendlyName), status, secretSealed, p,
      in.getInteger("Config.Skew", skew), lastUsedStep, failedChecks, metadata, sequence, createdAt, updatedAt);
  }

  /** Verified (or not) and its wrong codes, with the step accepted last. */
  VerifyFactor checked(String newStatus, long step, int misses, Instant now) {
    return new VerifyFactor(sid, entitySid, friendlyName, newStatus, secretSealed, parameters, skew, step, misses,
      metadata, sequence, createdAt, now);
  }

  VerifyFactor at(long newSequence, Instant now) {
    return new VerifyFactor(sid, entitySid, friendlyName, status, secretSealed, parameters, skew, lastUsedStep,
      failedChecks, metadata, newSequence, createdAt, now);
  }
}
