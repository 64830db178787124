package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.crypto.CodeHasher;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Who may read and change a session, and its token: 32 random bytes, given in clear once, stored as a keyed hash
 * bound to the session id, new with every change.
 */
final class SessionAccess {
  private static final String TOKEN_BINDING = "session-token";

  private final CodeHasher hasher;
  private final SecureRandom random;

  SessionAccess(CodeHasher hasher, SecureRandom random) {
    this.hasher = hasher;
    this.random = random;
  }

  /** SetSession: its creator or a manager of its user, with the right token when one is given. */
  boolean mayChange(Caller caller, Session session, String token) {
    return ownedOrManaged(caller, session) && (token == null || tokenMatches(session, token));
  }

  /** GetSession and DeleteSession: the token, or being its creator or a manager of its user. */
  boolean mayRead(Caller caller, Session session, String token) {
    return ownedOrManaged(caller, session) || (token != null && tokenMatches(session, token));
  }

  String newToken() {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  CodeHasher.Hashed hash(String sessionId, String token) {
    return hasher.hash(List.of(TOKEN_BINDING, sessionId), token);
  }

  private boolean tokenMatches(Session session, String token) {
    return hasher.matches(session.tokenHash(), List.of(TOKEN_BINDING, session.id()), token);
  }

  private static boolean ownedOrManaged(Caller caller, Session session) {
    return caller.userId().equals(session.creator())
      || (session.orgId() != null && caller.mayManageUsersOf(session.orgId()));
  }
}
