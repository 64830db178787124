package dev.mfaservice.webauthn;

import dev.mfaservice.store.Event;
import dev.mfaservice.user.UserChanges;
import dev.mfaservice.user.UserRepository;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * A security-key sign-in's statements, each folding what were two or three (issue 29): the challenge stored with the
 * user's ready keys read back; the open challenge (locked) read with the key that made the assertion; on acceptance
 * the key's counter, the challenge used up and, when the counter moved, the user's event, all in one statement.
 */
final class WebAuthnSignInStore {
  private static final String ISSUE_READING_KEYS = """
    with issued as (%s)
    %s where user_id = $3 and verified order by created_at, id
    """.formatted(WebAuthnRepository.SAVE_CHALLENGE, WebAuthnRepository.KEY_COLUMNS);
  /** The challenge's row locked (the key's is not): the same locks as the challenge's read alone. */
  private static final String OPEN_WITH_KEY = """
    select c.purpose, c.subject_id, c.user_id, c.challenge, c.rp_id, c.user_verification, c.expires_at,
      k.id, k.user_id as key_user_id, k.rp_id as key_rp_id, k.name, k.credential_id, k.public_key, k.aaguid, k.sign_count,
      k.transports, k.verified, k.created_at
    from webauthn_challenges c
    left join webauthn_keys k on k.user_id = c.user_id and k.credential_id = $4 and k.verified
    where c.purpose = $1 and c.subject_id = $2 and c.user_id = $3
    for update of c
    """;
  private static final String USED = "update webauthn_keys set sign_count = $%d, last_used_at = $%d where id = $%d";
  private static final String GONE = "delete from webauthn_challenges where purpose = $%d and subject_id = $%d";
  /** Accepted, the counter unchanged: the key's last use and the challenge used up. */
  private static final String ACCEPTED = "with used as (" + USED.formatted(2, 3, 1) + ") "
    + GONE.formatted(4, 5);
  /** Accepted, the counter moved: the key, the challenge and the user's event with the user's row, one statement. */
  private static final String ACCEPTED_COUNTED = UserRepository.appendAndTouch("used as (" + USED.formatted(9, 8, 10)
    + "), gone as (" + GONE.formatted(11, 12) + "), ");

  private final UserChanges changes;

  WebAuthnSignInStore(UserChanges changes) {
    this.changes = changes;
  }

  /** The challenge stored (replacing the subject's last one); the user's ready keys, read in the same statement. */
  Future<List<WebAuthnKey>> issue(SqlClient tx, WebAuthnChallenge c) {
    return tx.preparedQuery(ISSUE_READING_KEYS).execute(WebAuthnRepository.challengeRow(c))
      .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(WebAuthnRepository::toKey).toList());
  }

  /** The open challenge and, when the user has a ready key of that credential id, that key. */
  record Opened(WebAuthnChallenge challenge, Optional<WebAuthnKey> key) {
  }

  Future<Optional<Opened>> open(SqlClient tx, WebAuthnChallenge.Purpose purpose, String subjectId, String userId,
                                byte[] credentialId) {
    return tx.preparedQuery(OPEN_WITH_KEY).execute(Tuple.of(purpose.column, subjectId, userId, Buffer.buffer(credentialId)))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(opened(purpose, rows.iterator().next())));
  }

  /** The key used (its counter, its last use) and the challenge gone; {@code event}, the counter's, when it moved. */
  Future<Void> accepted(SqlClient tx, WebAuthnKey key, long signCount, Instant at, WebAuthnChallenge c, Event event) {
    if (event == null) {
      return tx.preparedQuery(ACCEPTED).execute(Tuple.of(key.id(), signCount, at.atOffset(ZoneOffset.UTC),
        c.purpose().column, c.subjectId())).mapEmpty();
    }
    return changes.write(tx, event, ACCEPTED_COUNTED, Tuple.of(signCount, key.id(), c.purpose().column, c.subjectId()))
      .mapEmpty();
  }

  private static Opened opened(WebAuthnChallenge.Purpose purpose, Row r) {
    WebAuthnChallenge challenge = WebAuthnRepository.toChallenge(purpose, r);
    if (r.getString("id") == null) {
      return new Opened(challenge, Optional.empty());
    }
    return new Opened(challenge, Optional.of(WebAuthnRepository.toKey(r, "key_user_id", "key_rp_id")));
  }
}
