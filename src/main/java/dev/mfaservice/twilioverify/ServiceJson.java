package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** A Verify Service as Twilio answers it: snake_case, every field of verify.v2.service, absolute url and links. */
final class ServiceJson {
  private static final String[] LINKS = {"verification_checks", "verifications", "rate_limits",
    "messaging_configurations", "entities", "webhooks", "access_tokens"};
  private static final String[] PATHS = {"VerificationCheck", "Verifications", "RateLimits", "MessagingConfigurations",
    "Entities", "Webhooks", "AccessTokens"};

  private ServiceJson() {
  }

  static JsonObject of(VerifyService s, String baseUrl) {
    String url = baseUrl + "/v2/Services/" + s.sid();
    JsonObject links = new JsonObject();
    for (int i = 0; i < LINKS.length; i++) {
      links.put(LINKS[i], url + "/" + PATHS[i]);
    }
    return new JsonObject().put("sid", s.sid()).put("account_sid", s.accountSid()).put("friendly_name", s.friendlyName())
      .put("code_length", s.codeLength()).put("lookup_enabled", s.lookupEnabled()).put("psd2_enabled", s.psd2Enabled())
      .put("skip_sms_to_landlines", s.skipSmsToLandlines()).put("dtmf_input_required", false).putNull("tts_name")
      .put("do_not_share_warning_enabled", s.doNotShareWarningEnabled()).put("custom_code_enabled", s.customCodeEnabled())
      .putNull("push").put("totp", totp(s)).putNull("default_template_sid").putNull("whatsapp").putNull("passkeys")
      .put("verify_event_subscription_enabled", false).put("date_created", date(s.createdAt()))
      .put("date_updated", date(s.updatedAt())).put("url", url).put("links", links);
  }

  private static JsonObject totp(VerifyService s) {
    return new JsonObject().put("issuer", s.totpIssuer() != null ? s.totpIssuer() : s.friendlyName())
      .put("time_step", s.totpTimeStep()).put("code_length", s.totpCodeLength()).put("skew", s.totpSkew());
  }

  /** ISO 8601 UTC to the second, as Twilio's examples ({@code 2015-07-30T20:00:00Z}). */
  static String date(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
  }
}
