package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A Verify Service (VA) of one org: its settings as Twilio names them. {@code totpIssuer} null = the friendly
 * name. {@code sequence} is the newest event's, for the next change's expected sequence.
 */
record VerifyService(String sid, String orgId, String accountSid, String friendlyName, int codeLength,
                     boolean lookupEnabled, boolean skipSmsToLandlines, boolean psd2Enabled,
                     boolean doNotShareWarningEnabled, boolean customCodeEnabled, String totpIssuer, int totpTimeStep,
                     int totpCodeLength, int totpSkew, long sequence, Instant createdAt, Instant updatedAt) {

  /** A new Service with Twilio's defaults (code length 6; TOTP 30 s, 6 digits, skew 1), then {@code input}. */
  static VerifyService created(String sid, TwilioCredential account, JsonObject input) {
    return new VerifyService(sid, account.orgId(), account.accountSid(), null, 6, false, false, false, false, false,
      null, 30, 6, 1, 0, null, null).with(input);
  }

  /** This Service with the fields {@code input} (a checked form, Twilio's names) sets; the others as they are. */
  VerifyService with(JsonObject in) {
    return new VerifyService(sid, orgId, accountSid, in.getString("FriendlyName", friendlyName),
      in.getInteger("CodeLength", codeLength), in.getBoolean("LookupEnabled", lookupEnabled),
      in.getBoolean("SkipSmsToLandlines", skipSmsToLandlines), in.getBoolean("Psd2Enabled", psd2Enabled),
      in.getBoolean("DoNotShareWarningEnabled", doNotShareWarningEnabled),
      in.getBoolean("CustomCodeEnabled", customCodeEnabled), in.getString("Totp.Issuer", totpIssuer),
      in.getInteger("Totp.TimeStep", totpTimeStep), in.getInteger("Totp.CodeLength", totpCodeLength),
      in.getInteger("Totp.Skew", totpSkew), sequence, createdAt, updatedAt);
  }

  /** As stored after an event at {@code at} with {@code sequence}. */
  VerifyService at(long newSequence, Instant at) {
    return new VerifyService(sid, orgId, accountSid, friendlyName, codeLength, lookupEnabled, skipSmsToLandlines,
      psd2Enabled, doNotShareWarningEnabled, customCodeEnabled, totpIssuer, totpTimeStep, totpCodeLength, totpSkew,
      newSequence, createdAt == null ? at : createdAt, at);
  }

  /** The settings, for the event's payload (snake_case as on the wire). */
  JsonObject settings() {
    return new JsonObject().put("friendly_name", friendlyName).put("code_length", codeLength)
      .put("lookup_enabled", lookupEnabled).put("skip_sms_to_landlines", skipSmsToLandlines)
      .put("psd2_enabled", psd2Enabled).put("do_not_share_warning_enabled", doNotShareWarningEnabled)
      .put("custom_code_enabled", customCodeEnabled).put("totp_issuer", totpIssuer).put("totp_time_step", totpTimeStep)
      .put("totp_code_length", totpCodeLength).put("totp_skew", totpSkew);
  }
}
