package dev.mfaservice.session;

import dev.mfaservice.crypto.CodeHasher;
import java.time.Instant;

/**
 * A sign-in in progress: who created it, its token (hashed), the user, and when each factor was proven; the end
 * user's IP named at creation (userAgent.ip, kept only when the creator manages the user) for the send limits.
 */
public record Session(String id, String creator, CodeHasher.Hashed tokenHash, String userId, String loginName, String orgId,
                      Instant userVerifiedAt, Instant totpVerifiedAt, Instant otpSmsVerifiedAt, Instant otpEmailVerifiedAt,
                      long sequence, Instant createdAt, Instant changedAt, Instant expiresAt, String userAgentIp) {

  public boolean expired(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  Session withUser(String user, String login, String org, Instant at) {
    return new Session(id, creator, tokenHash, user, login, org, at, totpVerifiedAt, otpSmsVerifiedAt, otpEmailVerifiedAt, sequence,
      createdAt, changedAt, expiresAt, userAgentIp);
  }

  Session withFactor(Factor factor, Instant at) {
    return new Session(id, creator, tokenHash, userId, loginName, orgId, userVerifiedAt,
      factor == Factor.TOTP ? at : totpVerifiedAt, factor == Factor.OTP_SMS ? at : otpSmsVerifiedAt,
      factor == Factor.OTP_EMAIL ? at : otpEmailVerifiedAt, sequence, createdAt, changedAt, expiresAt, userAgentIp);
  }

  Session changed(CodeHasher.Hashed newToken, long newSequence, Instant at) {
    return new Session(id, creator, newToken, userId, loginName, orgId, userVerifiedAt, totpVerifiedAt, otpSmsVerifiedAt,
      otpEmailVerifiedAt, newSequence, createdAt, at, expiresAt, userAgentIp);
  }

  Session withUserAgentIp(String ip) {
    return new Session(id, creator, tokenHash, userId, loginName, orgId, userVerifiedAt, totpVerifiedAt, otpSmsVerifiedAt,
      otpEmailVerifiedAt, sequence, createdAt, changedAt, expiresAt, ip);
  }

  /** The second factors a session can check. */
  public enum Factor { TOTP, OTP_SMS, OTP_EMAIL }
}
