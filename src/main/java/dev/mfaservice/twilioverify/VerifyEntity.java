package dev.mfaservice.twilioverify;

import java.time.Instant;

/**
 * An Entity (YE) of a Verify Service: an app's user, named by its {@code identity} (8–64 dash-separated alphanumerics,
 * not PII). Its row is the lock every change of its factors and challenges takes first.
 */
record VerifyEntity(String sid, String orgId, String serviceSid, String accountSid, String identity, long sequence,
                    Instant createdAt, Instant updatedAt) {
  private static final java.util.regex.Pattern IDENTITY = java.util.regex.Pattern.compile("[A-Za-z0-9]+(-[A-Za-z0-9]+)*");

  /** {@code identity} if it is one Twilio accepts; else 400/60306. */
  static String identity(String identity) {
    if (identity == null || identity.length() < 8 || identity.length() > 64 || !IDENTITY.matcher(identity).matches()) {
      throw TwilioError.invalidRequest("Identity");
    }
    return identity;
  }

  VerifyEntity withSequence(long newSequence) {
    return new VerifyEntity(sid, orgId, serviceSid, accountSid, identity, newSequence, createdAt, updatedAt);
  }

  String path() {
    return "/v2/Services/" + serviceSid + "/Entities/" + identity;
  }
}
