package dev.mfaservice.session;

import dev.mfaservice.notify.VerificationChoice;

/**
 * What CreateSession and SetSession ask: checks (user by id or login name, codes of factors),
 * challenges (a login code by SMS or email, sent or returned; null = none), a lifetime, and the
 * session token the caller presents (SetSession, optional), and the end user's IP the caller names
 * ({@code userAgent.ip} of CreateSession; believed only from a caller that manages the user).
 */
public record SessionRequest(String userId, String loginName, String totpCode, String otpSmsCode, String otpEmailCode,
                             VerificationChoice otpSmsChallenge, VerificationChoice otpEmailChallenge,
                             Long lifetimeSeconds, String sessionToken, String userAgentIp) {
}
