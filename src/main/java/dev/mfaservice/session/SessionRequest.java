package dev.mfaservice.session;

import io.vertx.core.json.JsonObject;

/**
 * What CreateSession and SetSession ask: the user check (by id or login name), the second-factor checks and the
 * challenges as they came ({@code checks} without {@code user}; {@code challenges}; each run by the factor of that
 * name), a lifetime, the session token the caller presents (SetSession, optional), and the end user's IP the caller
 * names ({@code userAgent.ip} of CreateSession; believed only from a caller that manages the user).
 */
public record SessionRequest(String userId, String loginName, JsonObject checks, JsonObject challenges,
                             Long lifetimeSeconds, String sessionToken, String userAgentIp) {
  public SessionRequest {
    checks = checks == null ? new JsonObject() : checks;
    challenges = challenges == null ? new JsonObject() : challenges;
  }
}
