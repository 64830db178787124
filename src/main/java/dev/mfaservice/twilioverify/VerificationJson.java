package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A verification as Twilio answers it: verify.v2.service.verification, and verify.v2.service.verification_check. */
final class VerificationJson {
  private VerificationJson() {
  }

  static JsonObject of(Verification v, String baseUrl) {
    return common(v).put("lookup", v.lookup() == null ? new JsonObject() : v.lookup().copy()).put("send_code_attempts", v.attempts().copy()).putNull("sna")
      .put("url", baseUrl + "/v2/Services/" + v.serviceSid() + "/Verifications/" + v.sid());
  }

  static JsonObject check(Verification v) {
    return common(v).put("sna_attempts_error_codes", new JsonArray());
  }

  private static JsonObject common(Verification v) {
    return new JsonObject().put("sid", v.sid()).put("service_sid", v.serviceSid()).put("account_sid", v.accountSid())
      .put("to", v.to()).put("channel", v.channel()).put("status", v.status()).put("valid", "approved".equals(v.status()))
      .put("amount", v.transaction().amount()).put("payee", v.transaction().payee()).put("date_created", ServiceJson.date(v.createdAt()))
      .put("date_updated", ServiceJson.date(v.updatedAt()));
  }
}
