package dev.mfaservice.user;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** SQL of failed_checks: failed second-factor checks per user and factor type, and the limit that applies to them. */
public final class FailedChecks {
  /** The org's lockout limit, else the instance default's (owner ''), as a subquery on a user row {@code u}. */
  static final String MAX_OTP_ATTEMPTS = """
    coalesce((select l.max_otp_attempts from lockout_policies l where l.owner_id = u.org_id),
             (select l.max_otp_attempts from lockout_policies l where l.owner_id = ''))
    """;
  private static final String READ = """
    select coalesce((select failed from failed_checks where user_id = u.id and factor_type = $2), 0) as failed,
           %s as max_otp_attempts
    from users u where u.id = $1
    """.formatted(MAX_OTP_ATTEMPTS);
  private static final String ADD_ONE = """
    insert into failed_checks (user_id, factor_type, failed) values ($1, $2, 1)
    on conflict (user_id, factor_type) do update set failed = failed_checks.failed + 1
    returning failed
    """;
  private static final String RESET = "delete from failed_checks where user_id = $1 and factor_type = $2";
  private static final String RESET_ALL = "delete from failed_checks where user_id = $1";

  /** A user's failed checks of one factor type so far, and the org's limit (0 = off). */
  public record Count(int failed, int maxOtpAttempts) {
    static Count of(Row r) {
      return new Count(r.getInteger("failed"), r.getInteger("max_otp_attempts"));
    }
  }

  public Future<Count> read(SqlClient tx, String userId, String factorType) {
    return tx.preparedQuery(READ).execute(Tuple.of(userId, factorType)).map(rows -> rows.size() == 0 ? new Count(0, 0)
      : Count.of(rows.iterator().next()));
  }

  /** Counts one more failure; the count after it. */
  public Future<Integer> addOne(SqlClient tx, String userId, String factorType) {
    return tx.preparedQuery(ADD_ONE).execute(Tuple.of(userId, factorType))
      .map(rows -> rows.iterator().next().getInteger("failed"));
  }

  public Future<Void> reset(SqlClient tx, String userId, String factorType) {
    return tx.preparedQuery(RESET).execute(Tuple.of(userId, factorType)).mapEmpty();
  }

  public Future<Void> resetAll(SqlClient tx, String userId) {
    return tx.preparedQuery(RESET_ALL).execute(Tuple.of(userId)).mapEmpty();
  }
}
