package dev.mfaservice.notify;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL of the outbox. Claiming takes a lease with {@code FOR UPDATE SKIP LOCKED}: a row is held by
 * one worker of one instance at a time, and a lease that runs out (a worker died) frees it again.
 */
public final class OutboxRepository {
  private static final String INSERT = """
    insert into outbox (id, channel, user_id, org_id, recipient, template, language, payload_sealed,
                        next_attempt_at, expires_at, created_at, caller_id, end_user_ip, recipient_prefix, country_code)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $11, $12, $13, $14)
    """;
  private static final String CLAIMABLE = """
    select id from outbox
    where status = 'pending' and channel = $1 and next_attempt_at <= $3 and (locked_until is null or locked_until < $3)
    """;
  private static final String RETURNING = """
    returning id, channel, user_id, org_id, recipient, template, language, payload_sealed, attempts, expires_at
    """;
  private static final String CLAIM_ONE = "update outbox set locked_until = $2, attempts = attempts + 1 where id in ("
    + CLAIMABLE + " and id = $4 for update skip locked) " + RETURNING;
  private static final String CLAIM_DUE = "update outbox set locked_until = $2, attempts = attempts + 1 where id in ("
    + CLAIMABLE + " order by next_attempt_at limit $4 for update skip locked) " + RETURNING;
  private static final String SENT = """
    update outbox set status = 'sent', payload_sealed = null, sent_at = $2, locked_until = null, last_error = null
    where id = $1 and status = 'pending'
    """;
  private static final String FAILED = """
    update outbox set status = 'failed', payload_sealed = null, locked_until = null, last_error = $2
    where id = $1 and status = 'pending'
    """;
  private static final String RETRY = """
    update outbox set next_attempt_at = $2, locked_until = null, last_error = $3 where id = $1 and status = 'pending'
    """;
  /** Gives back claimed rows that were not sent: no attempt was made, so the claim's count is taken back too. */
  private static final String RELEASE = """
    update outbox set locked_until = null, attempts = greatest(attempts - 1, 0) where id = any($1) and status = 'pending'
    """;

  /** The row with the keys the send limits count it by. */
  Future<Void> insert(SqlClient tx, String id, NewMessage m, SendKeys keys, byte[] sealed, Instant now) {
    return tx.preparedQuery(INSERT).execute(Tuple.tuple().addString(id).addString(m.channel()).addString(m.userId())
      .addString(m.orgId()).addString(m.recipient()).addString(m.template()).addString(m.language())
      .addBuffer(Buffer.buffer(sealed)).addOffsetDateTime(now.atOffset(ZoneOffset.UTC))
      .addOffsetDateTime(m.expiresAt().atOffset(ZoneOffset.UTC)).addString(keys.callerId()).addString(keys.endUserIp())
      .addString(keys.prefix()).addInteger(keys.countryCode())).mapEmpty();
  }

  Future<List<OutboxMessage>> claimOne(SqlClient client, String channel, String id, Instant leaseUntil, Instant now) {
    return client.preparedQuery(CLAIM_ONE).execute(Tuple.of(channel, utc(leaseUntil), utc(now), id))
      .map(OutboxRepository::messages);
  }

  Future<List<OutboxMessage>> claimDue(SqlClient client, String channel, int limit, Instant leaseUntil, Instant now) {
    return client.preparedQuery(CLAIM_DUE).execute(Tuple.of(channel, utc(leaseUntil), utc(now), limit))
      .map(OutboxRepository::messages);
  }

  Future<Boolean> markSent(SqlClient tx, String id, Instant at) {
    return tx.preparedQuery(SENT).execute(Tuple.of(id, utc(at))).map(r -> r.rowCount() == 1);
  }

  Future<Boolean> markFailed(SqlClient tx, String id, String reason) {
    return tx.preparedQuery(FAILED).execute(Tuple.of(id, reason)).map(r -> r.rowCount() == 1);
  }

  Future<Void> retryAt(SqlClient client, String id, Instant next, String reason) {
    return client.preparedQuery(RETRY).execute(Tuple.of(id, utc(next), reason)).mapEmpty();
  }

  Future<Void> release(SqlClient client, List<String> ids) {
    return client.preparedQuery(RELEASE).execute(Tuple.tuple().addArrayOfString(ids.toArray(String[]::new))).mapEmpty();
  }

  private static List<OutboxMessage> messages(RowSet<Row> rows) {
    List<OutboxMessage> out = new ArrayList<>();
    for (Row r : rows) {
      Buffer payload = r.getBuffer("payload_sealed");
      out.add(new OutboxMessage(r.getString("id"), r.getString("channel"), r.getString("user_id"), r.getString("org_id"),
        r.getString("recipient"), r.getString("template"), r.getString("language"),
        payload == null ? null : payload.getBytes(), r.getInteger("attempts"), r.getOffsetDateTime("expires_at").toInstant()));
    }
    return out;
  }

  private static java.time.OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
