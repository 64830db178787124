package dev.mfaservice.session;

import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL of sessions. */
public final class SessionRepository {
  private static final String COLUMNS = """
    select id, creator, token_hash, token_key_id, user_id, login_name, org_id, user_verified_at, factors, sequence,
           created_at, changed_at, expires_at, user_agent_ip
    from sessions where id = $1
    """;
  private static final String FIND_FOR_UPDATE = COLUMNS + " for update";
  private static final String DELETE = "delete from sessions where id = $1";
  /** A session's row replaced by a newer state of it (the insert of a session that exists already). */
  private static final String UPSERT = """
    on conflict (id) do update set token_hash = excluded.token_hash, token_key_id = excluded.token_key_id,
      user_id = excluded.user_id, login_name = excluded.login_name, org_id = excluded.org_id,
      user_verified_at = excluded.user_verified_at, factors = excluded.factors, sequence = excluded.sequence,
      changed_at = excluded.changed_at""";
  /**
   * The session's event ($1..$8 as EventStore's) and its row, inserted or replaced ($9..$22, {@link #row}), in one
   * statement (a data-modifying CTE): a session write sends one statement less.
   */
  public static final String APPEND_AND_SAVE = """
    with appended as (%s),
    saved as (
      insert into sessions (id, creator, token_hash, token_key_id, user_id, org_id, user_verified_at, factors, sequence,
                            created_at, changed_at, expires_at, login_name, user_agent_ip)
      values ($9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
      %s)
    select position from appended
    """.formatted(EventStore.APPEND, UPSERT);

  /**
   * A sign-in's one write on the optimistic path ({@link SessionFastPath}): the session's event ($1..$8) and row
   * ($9..$22) stored only if the user's row is still at the sequence the sign-in read ($23 id, $24 sequence; held FOR
   * SHARE to the statement's end, so a transaction changing the user finishes first and its change is seen) and the
   * check's own write moved its row: {@code check}, a CTE that moves its row only when {@code guard} has its row and
   * returns a row when it did (its parameters from $25 on). Nothing is written, and no row comes back, when either
   * does not hold.
   */
  static String guardedAppendAndSave(String check) {
    return """
      with guard as (select 1 from users where id = $23::text and sequence = $24::bigint for share),
      checked as (%s),
      appended as (%s),
      saved as (
        insert into sessions (id, creator, token_hash, token_key_id, user_id, org_id, user_verified_at, factors, sequence,
                              created_at, changed_at, expires_at, login_name, user_agent_ip)
        select $9::text, $10::text, $11::bytea, $12::text, $13::text, $14::text, $15::timestamptz, $16::jsonb, $17::bigint,
               $18::timestamptz, $19::timestamptz, $20::timestamptz, $21::text, $22::text
        from appended
        %s)
      select position from appended
      """.formatted(check, EventStore.appendIf("exists (select from checked)"), UPSERT);
  }

  public Future<Optional<Session>> find(SqlClient client, String id, boolean forUpdate) {
    return client.preparedQuery(forUpdate ? FIND_FOR_UPDATE : COLUMNS).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toSession(rows.iterator().next())));
  }

  /** The session's columns: APPEND_AND_SAVE's $9..$22, after the event's. */
  public static Tuple row(Session s) {
    return Tuple.tuple().addString(s.id()).addString(s.creator())
      .addBuffer(Buffer.buffer(s.tokenHash().hash())).addString(s.tokenHash().keyId()).addString(s.userId())
      .addString(s.orgId()).addOffsetDateTime(utc(s.userVerifiedAt())).addJsonObject(s.factors()).addLong(s.sequence())
      .addOffsetDateTime(utc(s.createdAt())).addOffsetDateTime(utc(s.changedAt())).addOffsetDateTime(utc(s.expiresAt()))
      .addString(s.loginName()).addString(s.userAgentIp());
  }

  public Future<Void> delete(SqlClient tx, String id) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(id)).mapEmpty();
  }

  private static Session toSession(Row r) {
    return new Session(r.getString("id"), r.getString("creator"),
      new CodeHasher.Hashed(r.getBuffer("token_hash").getBytes(), r.getString("token_key_id")), r.getString("user_id"),
      r.getString("login_name"), r.getString("org_id"), instant(r, "user_verified_at"),
      (JsonObject) r.getValue("factors"), r.getLong("sequence"), instant(r, "created_at"), instant(r, "changed_at"),
      instant(r, "expires_at"), r.getString("user_agent_ip"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }
}
