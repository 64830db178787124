package dev.mfaservice.otp;

import dev.mfaservice.factors.UserFactor;
import java.util.List;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL of otp_authenticators (email and SMS). */
public final class OtpRepository {
  private static final String INSERT = """
    insert into otp_authenticators (id, user_id, channel, address, verified, created_at, verified_at)
    values ($1, $2, $3, $4, $5, $6::timestamptz, case when $5 then $6::timestamptz end)
    """;
  private static final String FIND = """
    select id, user_id, channel, address, verified from otp_authenticators
    where user_id = $1 and channel = $2 and id = $3 for update
    """;
  private static final String VERIFIED = "update otp_authenticators set verified = true, verified_at = $2 where id = $1 and not verified";
  private static final String DELETE = """
    delete from otp_authenticators where user_id = $1 and channel = $2 and id = $3 and address is not null
    returning verified
    """;
  private static final String DELETE_CONTACT = "delete from otp_authenticators where user_id = $1 and channel = $2 and address is null";
  // Ready: an own address that was proven, or the contact address while it is verified.
  private static final String READY = """
    select 1 from otp_authenticators a join users u on u.id = a.user_id
    where a.user_id = $1 and a.channel = $2 and ((a.address is not null and a.verified)
      or (a.address is null and ((a.channel = 'email' and u.email_verified) or (a.channel = 'sms' and u.phone_verified))))
    limit 1
    """;

  public Future<Void> insert(SqlClient tx, OtpChannel channel, String id, String userId, String address, boolean verified,
                             Instant at) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(id, userId, channel.channel(), address, verified, at.atOffset(ZoneOffset.UTC)))
      .recover(SqlErrors.onUnique("otp_authenticators_address_key", () -> ApiError.alreadyExists("OTP-" + channel.channel()
        + "Exists", "The user has an OTP " + channel.channel() + " authenticator with this " + channel.noun() + " already")))
      .recover(SqlErrors.onUnique("otp_authenticators_contact_key", () -> ApiError.alreadyExists(channel.alreadyOnId(),
        "OTP " + channel.channel() + " is already set up for this user")))
      .mapEmpty();
  }

  public Future<Optional<OtpAuthenticator>> findForUpdate(SqlClient tx, OtpChannel channel, String userId, String id) {
    return tx.preparedQuery(FIND).execute(Tuple.of(userId, channel.channel(), id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toAuthenticator(rows.iterator().next())));
  }

  private static final String READY_ONE = """
    select a.id, coalesce(a.address, case when a.channel = 'email' then u.email else u.phone end) as address
    from otp_authenticators a join users u on u.id = a.user_id
    where a.user_id = $1 and a.channel = $2 and ((a.address is not null and a.verified)
      or (a.address is null and ((a.channel = 'email' and u.email_verified) or (a.channel = 'sms' and u.phone_verified))))
    order by (a.address is null) desc, a.created_at limit 1
    """;

  /** The authenticator a sign-in uses for a channel: the contact one first, else the oldest proven own address. */
  public Future<Optional<OtpAuthenticator>> readyFor(SqlClient client, OtpChannel channel, String userId) {
    return client.preparedQuery(READY_ONE).execute(Tuple.of(userId, channel.channel())).map(rows -> rows.size() == 0
      ? Optional.empty()
      : Optional.of(new OtpAuthenticator(rows.iterator().next().getString("id"), userId, channel.channel(),
        rows.iterator().next().getString("address"), true)));
  }

  public Future<Void> markVerified(SqlClient tx, String id, Instant at) {
    return tx.preparedQuery(VERIFIED).execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  /** Empty when there was no such authenticator; else whether the deleted one was verified (ready). */
  public Future<Optional<Boolean>> delete(SqlClient tx, OtpChannel channel, String userId, String id) {
    return tx.preparedQuery(DELETE).execute(Tuple.of(userId, channel.channel(), id)).map(r -> r.size() == 0
      ? Optional.<Boolean>empty() : Optional.of(r.iterator().next().getBoolean("verified")));
  }

  public Future<Boolean> deleteContact(SqlClient tx, OtpChannel channel, String userId) {
    return tx.preparedQuery(DELETE_CONTACT).execute(Tuple.of(userId, channel.channel())).map(r -> r.rowCount() == 1);
  }

  /** The user's ready OTP authenticator of {@code channel}, as its entry in the factor lists (none or one). */
  public Future<List<UserFactor>> factorsOf(SqlClient client, String userId, OtpChannel channel) {
    return client.preparedQuery(READY).execute(Tuple.of(userId, channel.channel()))
      .map(rows -> rows.size() == 0 ? List.<UserFactor>of() : List.of(UserFactor.ready(channel.type())));
  }

  private static OtpAuthenticator toAuthenticator(Row r) {
    return new OtpAuthenticator(r.getString("id"), r.getString("user_id"), r.getString("channel"), r.getString("address"),
      r.getBoolean("verified"));
  }
}
