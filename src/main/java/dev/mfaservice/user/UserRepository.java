package dev.mfaservice.user;

import dev.mfaservice.org.PolicyRepository;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL of the users table. */
public final class UserRepository {
  private static final String INSERT = """
    insert into users (id, org_id, username, given_name, family_name, display_name, email, email_verified,
                       phone, phone_verified, state, sequence, created_at, changed_at, preferred_language)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
    """;
  private static final String FIND = """
    select id, org_id, username, given_name, family_name, display_name, email, email_verified, phone,
           phone_verified, state, sequence, created_at, changed_at, preferred_language
    from users where id = $1
    """;
  /*
   * A second-factor check at sign-in: the user with its failed checks of the factor type ($2), the org's lockout limit
   * and whether the org's login policy (else the instance default) allows the type: one statement instead of four.
   * FIND_FOR_CHECK locks the user until the transaction ends (checks of one user run one after another); a sign-in's
   * optimistic path reads it unlocked and guards its one write by the user's sequence (session/SessionFastPath).
   */
  private static final String READ_FOR_CHECK = """
    select u.id, u.org_id, u.username, u.given_name, u.family_name, u.display_name, u.email, u.email_verified, u.phone,
           u.phone_verified, u.state, u.sequence, u.created_at, u.changed_at, u.preferred_language,
           coalesce((select f.failed from failed_checks f where f.user_id = u.id and f.factor_type = $2), 0) as failed,
           %s as max_otp_attempts,
           %s as allowed
    from users u where u.id = $1
    """.formatted(FailedChecks.MAX_OTP_ATTEMPTS, PolicyRepository.factorAllowed("u.org_id", "$2"));
  /*
   * Locked: when it waits for the user's row, PostgreSQL re-reads that row at its newest version, but the subqueries
   * (the failed checks) from the statement's snapshot, taken before the wait. read_sequence is the user's sequence in
   * that snapshot: when it differs from the row's, a transaction changed the user (every counted failure appends a
   * user event) while this one waited, and the read is repeated, under the lock now held (findForCheck).
   */
  private static final String FIND_FOR_CHECK = READ_FOR_CHECK.replace("from users u where",
      ", (select s.sequence from users s where s.id = u.id) as read_sequence\n    from users u where") + " for update of u";
  private static final String FIND_FOR_UPDATE = FIND + " for update";
  private static final String DELETE = "delete from users where id = $1";
  /** One name in many orgs is rare; the bound keeps a name shared by very many from being read whole. */
  private static final String FIND_BY_LOGIN_NAME = FIND.replace("where id = $1", "where lower(username) = lower($1) limit 1000");
  private static final String SET_EMAIL = "update users set email = $2, email_verified = $3 where id = $1";
  private static final String EMAIL_VERIFIED = "update users set email_verified = true where id = $1";
  private static final String SET_PHONE = "update users set phone = $2, phone_verified = $3 where id = $1";
  private static final String PHONE_VERIFIED = "update users set phone_verified = true where id = $1";
  /** A user's event ($1..$8 as EventStore's) and the user's row moved to it, in one statement. */
  static final String APPEND_AND_TOUCH = appendAndTouch("");

  /**
   * The user's event stored and the user's row moved to it in one statement (EventStore's $1..$8), with {@code more}
   * of a caller's writes in the same statement: data-modifying CTEs, each ending in ", ", taking $9, $10, ….
   */
  public static String appendAndTouch(String more) {
    return """
      with appended as (%s),
      %stouched as (update users set sequence = $3, changed_at = $8 where id = $2)
      select position from appended
      """.formatted(EventStore.APPEND, more);
  }

  /**
   * As {@link #appendAndTouch}, for a command that read the user without a lock and writes in one statement: all of
   * it written only if the user's row is still at the sequence before the event's ($3 - 1). The row is locked first
   * (for no key update, to the statement's end: the locked way's order, the user's row before anything else), so a
   * transaction changing the user finishes first and is seen. {@code more}'s CTEs must write only when
   * {@code appended} has its row. No row back: nothing was written.
   */
  public static String appendAndTouchIfUnchanged(String more) {
    return """
      with guard as (select 1 from users where id = $2 and sequence = $3::bigint - 1 for no key update),
      appended as (%s),
      %stouched as (update users set sequence = $3, changed_at = $8 where id = $2 and exists (select from appended))
      select position from appended
      """.formatted(EventStore.appendIf("exists (select from guard)"), more);
  }

  public Future<Void> insert(SqlClient tx, User u) {
    Tuple row = Tuple.tuple().addString(u.id()).addString(u.orgId()).addString(u.username())
      .addString(u.givenName()).addString(u.familyName()).addString(u.displayName())
      .addString(u.email().address()).addBoolean(u.email().verified())
      .addString(u.phone().address()).addBoolean(u.phone().verified())
      .addString(u.state()).addLong(u.sequence())
      .addOffsetDateTime(u.createdAt().atOffset(ZoneOffset.UTC)).addOffsetDateTime(u.changedAt().atOffset(ZoneOffset.UTC))
      .addString(u.preferredLanguage());
    return tx.preparedQuery(INSERT).execute(row)
      .recover(SqlErrors.onUnique("users_org_username_key",
        () -> ApiError.alreadyExists("USER-usernameTaken", "Username is already taken in this organization")))
      .recover(SqlErrors.onUnique("users_pkey", () -> ApiError.alreadyExists("EVENT-exists", "A user with this id already exists")))
      .mapEmpty();
  }

  /** The user, locked until the transaction ends. */
  public Future<Optional<User>> findForUpdate(SqlClient tx, String id) {
    return tx.preparedQuery(FIND_FOR_UPDATE).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toUser(rows.iterator().next())));
  }

  /** The user locked, with what a check of {@code factorType} (a SecondFactorType name) needs (see FIND_FOR_CHECK). */
  public Future<Optional<UserForCheck>> findForCheck(SqlClient tx, String id, String factorType) {
    return findForCheck(tx, id, factorType, true);
  }

  /** As {@link #findForCheck(SqlClient, String, String)}; {@code lock} false reads without locking (and in no transaction). */
  public Future<Optional<UserForCheck>> findForCheck(SqlClient client, String id, String factorType, boolean lock) {
    return readForCheck(client, id, factorType, lock, true);
  }

  private Future<Optional<UserForCheck>> readForCheck(SqlClient client, String id, String factorType, boolean lock,
                                                      boolean again) {
    return client.preparedQuery(lock ? FIND_FOR_CHECK : READ_FOR_CHECK).execute(Tuple.of(id, factorType)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row r = rows.iterator().next();
      if (lock && again && !r.getLong("sequence").equals(r.getLong("read_sequence"))) {
        return readForCheck(client, id, factorType, true, false);
      }
      return Future.succeededFuture(Optional.of(new UserForCheck(toUser(r), factorType, FailedChecks.Count.of(r),
        Boolean.TRUE.equals(r.getBoolean("allowed")))));
    });
  }

  public Future<Optional<User>> find(SqlClient client, String id) {
    return client.preparedQuery(FIND).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toUser(rows.iterator().next())));
  }

  public Future<Void> setEmail(SqlClient tx, String id, String address, boolean verified) {
    return tx.preparedQuery(SET_EMAIL).execute(Tuple.of(id, address, verified)).mapEmpty();
  }

  public Future<Void> markEmailVerified(SqlClient tx, String id) {
    return tx.preparedQuery(EMAIL_VERIFIED).execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Void> setPhone(SqlClient tx, String id, String number, boolean verified) {
    return tx.preparedQuery(SET_PHONE).execute(Tuple.of(id, number, verified)).mapEmpty();
  }

  public Future<Void> markPhoneVerified(SqlClient tx, String id) {
    return tx.preparedQuery(PHONE_VERIFIED).execute(Tuple.of(id)).mapEmpty();
  }

  /** Users with that login name, in any org. */
  public Future<java.util.List<User>> findByLoginName(SqlClient client, String loginName) {
    return client.preparedQuery(FIND_BY_LOGIN_NAME).execute(Tuple.of(loginName)).map(rows -> {
      java.util.List<User> found = new java.util.ArrayList<>();
      rows.forEach(r -> found.add(toUser(r)));
      return found;
    });
  }

  public Future<Void> delete(SqlClient tx, String id) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(id)).mapEmpty();
  }

  private static User toUser(Row r) {
    return new User(r.getString("id"), r.getString("org_id"), r.getString("username"), r.getString("given_name"),
      r.getString("family_name"), r.getString("display_name"), r.getString("preferred_language"),
      new User.Contact(r.getString("email"), r.getBoolean("email_verified")),
      new User.Contact(r.getString("phone"), r.getBoolean("phone_verified")),
      r.getString("state"), r.getLong("sequence"),
      r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("changed_at").toInstant());
  }
}
