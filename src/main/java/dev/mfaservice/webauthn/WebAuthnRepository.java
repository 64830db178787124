package dev.mfaservice.webauthn;

import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.factors.UserFactor;
import dev.mfaservice.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** SQL of the webauthn_keys and webauthn_challenges tables. */
public final class WebAuthnRepository {
  static final String KEY_COLUMNS = """
    select id, user_id, rp_id, name, credential_id, public_key, aaguid, sign_count, transports, verified, created_at
    from webauthn_keys
    """;
  private static final String FIND_FOR_UPDATE = KEY_COLUMNS + " where user_id = $1 and id = $2 for update";
  private static final String OF_USER = KEY_COLUMNS + " where user_id = $1 order by created_at, id";
  private static final String NEWEST_PENDING = KEY_COLUMNS
    + " where user_id = $1 and not verified order by created_at desc, id desc limit 1 for update";
  private static final String INSERT_PENDING = """
    insert into webauthn_keys (id, user_id, rp_id, created_at) values ($1, $2, $3, $4)
    """;
  private static final String VERIFY = """
    update webauthn_keys set name = $3, credential_id = $4, public_key = $5, aaguid = $6, sign_count = $7,
      transports = $8, verified = true, verified_at = $9
    where user_id = $1 and id = $2 and not verified
    """;
  private static final String DELETE = "delete from webauthn_keys where user_id = $1 and id = $2 returning verified";
  static final String SAVE_CHALLENGE = """
    insert into webauthn_challenges (purpose, subject_id, user_id, challenge, rp_id, user_verification, expires_at)
    values ($1, $2, $3, $4, $5, $6, $7)
    on conflict (purpose, subject_id) do update set user_id = excluded.user_id, challenge = excluded.challenge,
      rp_id = excluded.rp_id, user_verification = excluded.user_verification, expires_at = excluded.expires_at
    """;
  private static final String FIND_CHALLENGE = """
    select purpose, subject_id, user_id, challenge, rp_id, user_verification, expires_at from webauthn_challenges
    where purpose = $1 and subject_id = $2 and user_id = $3 for update
    """;
  private static final String USE_CHALLENGE = "delete from webauthn_challenges where purpose = $1 and subject_id = $2";

  public Future<Optional<WebAuthnKey>> findForUpdate(SqlClient tx, String userId, String keyId) {
    return tx.preparedQuery(FIND_FOR_UPDATE).execute(Tuple.of(userId, keyId)).map(rows -> rows.size() == 0
      ? Optional.empty() : Optional.of(toKey(rows.iterator().next())));
  }

  /** The newest pending registration of the user (auth v1 verifies without naming the key). */
  public Future<Optional<WebAuthnKey>> newestPending(SqlClient tx, String userId) {
    return tx.preparedQuery(NEWEST_PENDING).execute(Tuple.of(userId)).map(rows -> rows.size() == 0
      ? Optional.empty() : Optional.of(toKey(rows.iterator().next())));
  }

  public Future<List<WebAuthnKey>> keysOf(SqlClient client, String userId) {
    return client.preparedQuery(OF_USER).execute(Tuple.of(userId))
      .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(WebAuthnRepository::toKey).toList());
  }

  public Future<List<WebAuthnKey>> readyKeysOf(SqlClient client, String userId) {
    return keysOf(client, userId).map(keys -> keys.stream().filter(WebAuthnKey::verified).toList());
  }

  public Future<Void> insertPending(SqlClient tx, String keyId, String userId, String rpId, Instant at) {
    return tx.preparedQuery(INSERT_PENDING).execute(Tuple.of(keyId, userId, rpId, at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  /** Stores the verified credential; a credential id registered before (to anyone) is refused. */
  public Future<Void> verify(SqlClient tx, WebAuthnKey key, Instant at) {
    Tuple values = Tuple.of(key.userId(), key.id(), key.name(), Buffer.buffer(key.credentialId()),
      Buffer.buffer(key.publicKey()), key.aaguid(), key.signCount(), key.transports().toArray(String[]::new))
      .addValue(at.atOffset(ZoneOffset.UTC));
    return tx.preparedQuery(VERIFY).execute(values).<Void>mapEmpty()
      .recover(SqlErrors.onUnique("webauthn_keys_credential", WebAuthnErrors::credentialTaken));
  }

  /** Empty when there was no such key of the user; else whether the deleted key was verified. */
  public Future<Optional<Boolean>> delete(SqlClient tx, String userId, String keyId) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(userId, keyId)).map(rows -> rows.size() == 0 ? Optional.empty()
      : Optional.of(rows.iterator().next().getBoolean("verified")));
  }

  /** A new challenge replaces the one the same subject was given before. */
  public Future<Void> saveChallenge(SqlClient tx, WebAuthnChallenge c) {
    return tx.preparedQuery(SAVE_CHALLENGE).execute(challengeRow(c)).mapEmpty();
  }

  /** SAVE_CHALLENGE's $1..$7. */
  static Tuple challengeRow(WebAuthnChallenge c) {
    return Tuple.of(c.purpose().column, c.subjectId(), c.userId(), Buffer.buffer(c.challenge()), c.rpId(),
      c.userVerification(), c.expiresAt().atOffset(ZoneOffset.UTC));
  }

  public Future<Optional<WebAuthnChallenge>> findChallenge(SqlClient tx, WebAuthnChallenge.Purpose purpose,
                                                           String subjectId, String userId) {
    return tx.preparedQuery(FIND_CHALLENGE).execute(Tuple.of(purpose.column, subjectId, userId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toChallenge(purpose, rows.iterator().next())));
  }

  /** A challenge answered is gone: the same answer again finds none. */
  public Future<Void> useChallenge(SqlClient tx, WebAuthnChallenge c) {
    return tx.preparedQuery(USE_CHALLENGE).execute(Tuple.of(c.purpose().column, c.subjectId())).mapEmpty();
  }

  /** The user's keys in the factor lists: ready once verified, with their id and name. */
  public Future<List<UserFactor>> factorsOf(SqlClient client, String userId) {
    return keysOf(client, userId).map(keys -> keys.stream().map(k -> new UserFactor(SecondFactorType.SECOND_FACTOR_TYPE_U2F, k.verified(),
      detail(k))).toList());
  }

  private static JsonObject detail(WebAuthnKey key) {
    JsonObject detail = new JsonObject().put("id", key.id());
    return key.name() == null ? detail : detail.put("name", key.name());
  }

  static WebAuthnKey toKey(Row r) {
    return toKey(r, "user_id", "rp_id");
  }

  /** A key's row, its user id and relying party under the names given (a join may rename them). */
  static WebAuthnKey toKey(Row r, String userIdColumn, String rpIdColumn) {
    Buffer credential = r.getBuffer("credential_id");
    Buffer publicKey = r.getBuffer("public_key");
    String[] transports = r.getArrayOfStrings("transports");
    return new WebAuthnKey(r.getString("id"), r.getString(userIdColumn), r.getString(rpIdColumn), r.getString("name"),
      credential == null ? null : credential.getBytes(), publicKey == null ? null : publicKey.getBytes(),
      r.getUUID("aaguid"), r.getLong("sign_count"), transports == null ? List.of() : Arrays.asList(transports),
      r.getBoolean("verified"), r.getOffsetDateTime("created_at").toInstant());
  }

  static WebAuthnChallenge toChallenge(WebAuthnChallenge.Purpose purpose, Row r) {
    return new WebAuthnChallenge(purpose, r.getString("subject_id"), r.getString("user_id"),
      r.getBuffer("challenge").getBytes(), r.getString("rp_id"), r.getString("user_verification"),
      r.getOffsetDateTime("expires_at").toInstant());
  }
}
