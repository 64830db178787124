package dev.mfaservice.twilioverify;

import dev.mfaservice.crypto.CodeHasher;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** SQL of twilio_credentials: an org's account sids with the keyed hash of each one's auth token. */
final class CredentialRepository {
  private static final String INSERT = """
    insert into twilio_credentials (account_sid, org_id, token_hash, key_id, created_at) values ($1, $2, $3, $4, $5)
    """;
  private static final String LIST = """
    select account_sid, org_id, created_at from twilio_credentials where org_id = $1 order by created_at, account_sid
    """;
  private static final String FIND = """
    select account_sid, org_id, created_at, token_hash, key_id from twilio_credentials where account_sid = $1
    """;
  private static final String DELETE = "delete from twilio_credentials where account_sid = $1 and org_id = $2";

  /** A stored credential and its token's hash. */
  record Stored(TwilioCredential credential, CodeHasher.Hashed token) {
  }

  Future<Void> insert(SqlClient tx, TwilioCredential credential, CodeHasher.Hashed token) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(credential.accountSid(), credential.orgId(), token.hash(),
      token.keyId(), credential.createdAt().atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  Future<List<TwilioCredential>> list(SqlClient client, String orgId) {
    return client.preparedQuery(LIST).execute(Tuple.of(orgId))
      .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(CredentialRepository::credential).toList());
  }

  Future<Optional<Stored>> find(SqlClient client, String accountSid) {
    return client.preparedQuery(FIND).execute(Tuple.of(accountSid)).map(rows -> rows.size() == 0 ? Optional.empty()
      : Optional.of(stored(rows.iterator().next())));
  }

  /** @return whether the org had that credential */
  Future<Boolean> delete(SqlClient tx, String orgId, String accountSid) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(accountSid, orgId)).map(rows -> rows.rowCount() == 1);
  }

  private static Stored stored(Row row) {
    return new Stored(credential(row), new CodeHasher.Hashed(row.getBuffer("token_hash").getBytes(), row.getString("key_id")));
  }

  private static TwilioCredential credential(Row row) {
    Instant created = row.getOffsetDateTime("created_at").toInstant();
    return new TwilioCredential(row.getString("account_sid"), row.getString("org_id"), created);
  }
}
