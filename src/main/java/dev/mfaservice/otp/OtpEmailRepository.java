package dev.mfaservice.otp;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL of otp_email_authenticators. */
public final class OtpEmailRepository {
  private static final String INSERT = """
    insert into otp_email_authenticators (id, user_id, address, verified, created_at, verified_at)
    values ($1, $2, $3, $4, $5::timestamptz, case when $4 then $5::timestamptz end)
    """;
  private static final String FIND = """
    select id, user_id, address, verified from otp_email_authenticators where user_id = $1 and id = $2 for update
    """;
  private static final String VERIFIED = """
    update otp_email_authenticators set verified = true, verified_at = $2 where id = $1 and not verified
    """;
  private static final String DELETE = "delete from otp_email_authenticators where user_id = $1 and id = $2 and address is not null";
  private static final String DELETE_CONTACT = "delete from otp_email_authenticators where user_id = $1 and address is null";
  // Ready: an own address that was proven, or the contact email while it is verified.
  private static final String READY = """
    select exists (select 1 from otp_email_authenticators a join users u on u.id = a.user_id
                   where a.user_id = $1 and ((a.address is not null and a.verified) or (a.address is null and u.email_verified)))
           as ready
    """;

  public Future<Void> insert(SqlClient tx, String id, String userId, String address, boolean verified, Instant at) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(id, userId, address, verified, at.atOffset(ZoneOffset.UTC)))
      .recover(SqlErrors.onUnique("otp_email_address_key",
        () -> ApiError.alreadyExists("OTP-emailExists", "The user has an OTP email authenticator with this address already")))
      .recover(SqlErrors.onUnique("otp_email_contact_key",
        () -> ApiError.alreadyExists("COMMAND-MKL2s", "OTP email is already set up for this user")))
      .mapEmpty();
  }

  public Future<Optional<OtpEmailAuthenticator>> findForUpdate(SqlClient tx, String userId, String id) {
    return tx.preparedQuery(FIND).execute(Tuple.of(userId, id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toAuthenticator(rows.iterator().next())));
  }

  public Future<Void> markVerified(SqlClient tx, String id, Instant at) {
    return tx.preparedQuery(VERIFIED).execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  public Future<Boolean> delete(SqlClient tx, String userId, String id) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(userId, id)).map(r -> r.rowCount() == 1);
  }

  public Future<Boolean> deleteContact(SqlClient tx, String userId) {
    return tx.preparedQuery(DELETE_CONTACT).execute(Tuple.of(userId)).map(r -> r.rowCount() == 1);
  }

  public Future<Boolean> isReady(SqlClient client, String userId) {
    return client.preparedQuery(READY).execute(Tuple.of(userId)).map(rows -> rows.iterator().next().getBoolean("ready"));
  }

  private static OtpEmailAuthenticator toAuthenticator(Row r) {
    return new OtpEmailAuthenticator(r.getString("id"), r.getString("user_id"), r.getString("address"), r.getBoolean("verified"));
  }
}
