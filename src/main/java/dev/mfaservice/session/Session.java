package dev.mfaservice.session;

import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.http.WireJson;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A sign-in in progress: who created it, its token (hashed), the user, and what each second factor proved
 * ({@code factors}: name → {verifiedAt, …}, as GetSession shows it); the end user's IP named at creation
 * (userAgent.ip, kept only when the creator manages the user) for the send limits.
 */
public record Session(String id, String creator, CodeHasher.Hashed tokenHash, String userId, String loginName, String orgId,
                      Instant userVerifiedAt, JsonObject factors, long sequence, Instant createdAt, Instant changedAt,
                      Instant expiresAt, String userAgentIp) {

  public Session {
    factors = factors == null ? new JsonObject() : factors;
  }

  public boolean expired(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  Session withUser(String user, String login, String org, Instant at) {
    return new Session(id, creator, tokenHash, user, login, org, at, factors, sequence, createdAt, changedAt, expiresAt,
      userAgentIp);
  }

  /** The factor proven now: {@code factors.<name>} = {verifiedAt} plus what the check recorded. */
  Session withFactor(String name, Instant at, JsonObject proof) {
    JsonObject proven = new JsonObject().put("verifiedAt", WireJson.timestamp(at)).mergeIn(proof);
    return new Session(id, creator, tokenHash, userId, loginName, orgId, userVerifiedAt, factors.copy().put(name, proven),
      sequence, createdAt, changedAt, expiresAt, userAgentIp);
  }

  Session changed(CodeHasher.Hashed newToken, long newSequence, Instant at) {
    return new Session(id, creator, newToken, userId, loginName, orgId, userVerifiedAt, factors, newSequence, createdAt,
      at, expiresAt, userAgentIp);
  }

  Session withUserAgentIp(String ip) {
    return new Session(id, creator, tokenHash, userId, loginName, orgId, userVerifiedAt, factors, sequence, createdAt,
      changedAt, expiresAt, ip);
  }
}
