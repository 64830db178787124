package dev.mfaservice.org;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;

/** SQL of the second-factor and lockout policies; owner '' is the instance default. */
public final class PolicyRepository {
  private static final String FACTORS = """
    select owner_id, factors from second_factor_policies where owner_id in ($1, '') order by owner_id desc
    """;
  private static final String FACTORS_FOR_UPDATE = FACTORS + " for update";
  private static final String SAVE_FACTORS = """
    insert into second_factor_policies (owner_id, factors) values ($1, $2)
    on conflict (owner_id) do update set factors = excluded.factors
    """;
  private static final String ALLOWS = "select " + factorAllowed("$1", "$2") + " as allowed";
  private static final String LOCKOUT = """
    select owner_id, max_password_attempts, max_otp_attempts from lockout_policies
    where owner_id in ($1, '') order by owner_id desc
    """;
  private static final String INSERT_LOCKOUT = """
    insert into lockout_policies (owner_id, max_password_attempts, max_otp_attempts) values ($1, $2, $3)
    """;
  private static final String UPDATE_LOCKOUT = """
    update lockout_policies set max_password_attempts = $2, max_otp_attempts = $3 where owner_id = $1
    """;
  private static final String DELETE_LOCKOUT = "delete from lockout_policies where owner_id = $1 and owner_id <> ''";

  /** A policy as it applies to an owner, and whether it is the owner's own or inherited. */

  /**
   * The one question enforcement asks, as an SQL expression over {@code orgId} and {@code type} (a SecondFactorType
   * name): the org's own list if it has one, else the default's (owner '').
   */
  public static String factorAllowed(String orgId, String type) {
    return "coalesce((select p.factors from second_factor_policies p where p.owner_id = " + orgId + "), "
      + "(select p.factors from second_factor_policies p where p.owner_id = '')) @> array[" + type + "]::text[]";
  }

  public record Effective<T>(T value, boolean inherited) {
  }

  public record Lockout(int maxPasswordAttempts, int maxOtpAttempts) {
  }

  public Future<Effective<List<SecondFactorType>>> secondFactors(SqlClient client, String ownerId, boolean forUpdate) {
    return client.preparedQuery(forUpdate ? FACTORS_FOR_UPDATE : FACTORS).execute(Tuple.of(ownerId)).map(rows -> {
      Row first = rows.iterator().next();
      List<SecondFactorType> types = Arrays.stream(first.getArrayOfStrings("factors")).map(SecondFactorType::valueOf).toList();
      return new Effective<>(types, !first.getString("owner_id").equals(ownerId));
    });
  }

  public Future<Void> saveSecondFactors(SqlClient tx, String ownerId, List<SecondFactorType> types) {
    String[] names = types.stream().map(Enum::name).toArray(String[]::new);
    return tx.preparedQuery(SAVE_FACTORS).execute(Tuple.tuple().addString(ownerId).addArrayOfString(names)).mapEmpty();
  }

  public Future<Boolean> allows(SqlClient client, String orgId, SecondFactorType type) {
    return client.preparedQuery(ALLOWS).execute(Tuple.of(orgId, type.name()))
      .map(rows -> Boolean.TRUE.equals(rows.iterator().next().getBoolean("allowed")));
  }

  public Future<Effective<Lockout>> lockout(SqlClient client, String ownerId) {
    return client.preparedQuery(LOCKOUT).execute(Tuple.of(ownerId)).map(rows -> {
      Row first = rows.iterator().next();
      return new Effective<>(new Lockout(first.getInteger("max_password_attempts"), first.getInteger("max_otp_attempts")),
        !first.getString("owner_id").equals(ownerId));
    });
  }

  public Future<Void> insertLockout(SqlClient tx, String ownerId, Lockout lockout) {
    return tx.preparedQuery(INSERT_LOCKOUT)
      .execute(Tuple.of(ownerId, lockout.maxPasswordAttempts(), lockout.maxOtpAttempts())).mapEmpty();
  }

  public Future<Boolean> updateLockout(SqlClient tx, String ownerId, Lockout lockout) {
    return tx.preparedQuery(UPDATE_LOCKOUT)
      .execute(Tuple.of(ownerId, lockout.maxPasswordAttempts(), lockout.maxOtpAttempts())).map(r -> r.rowCount() == 1);
  }

  public Future<Boolean> deleteLockout(SqlClient tx, String ownerId) {
    return tx.preparedQuery(DELETE_LOCKOUT).execute(Tuple.of(ownerId)).map(r -> r.rowCount() == 1);
  }
}
