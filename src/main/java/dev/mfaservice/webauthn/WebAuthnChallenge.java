package dev.mfaservice.webauthn;

import java.time.Instant;

/** A challenge handed out for one ceremony, as stored: what it must be answered for, by whom, until when. */
public record WebAuthnChallenge(Purpose purpose, String subjectId, String userId, byte[] challenge, String rpId,
                                String userVerification, Instant expiresAt) {

  /** Registration of one key (subject: the key id) or sign-in in one session (subject: the session id). */
  public enum Purpose {
    REGISTER("register"), LOGIN("login");

    final String column;

    Purpose(String column) {
      this.column = column;
    }
  }

  public boolean expired(Instant now) {
    return !expiresAt.isAfter(now);
  }

  public boolean verificationRequired() {
    return "required".equals(userVerification);
  }
}
