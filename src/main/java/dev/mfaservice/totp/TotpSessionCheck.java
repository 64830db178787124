package dev.mfaservice.totp;

import dev.mfaservice.errors.Decision;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.OptimisticCheck;
import dev.mfaservice.session.SessionCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.Optional;

/** {@code checks.totp {code}}: a code of the user's verified authenticator app, each time step usable once. */
public final class TotpSessionCheck implements SessionCheck {
  private final TotpRepository totp;
  private final TotpCommands commands;
  private final Clock clock;

  public TotpSessionCheck(TotpRepository totp, TotpCommands commands, Clock clock) {
    this.totp = totp;
    this.commands = commands;
    this.clock = clock;
  }

  @Override
  public SecondFactorType type() {
    return SecondFactorType.SECOND_FACTOR_TYPE_OTP;
  }

  /** The factor, locked: sent with the user's read, after the user's lock. */
  @Override
  public Future<?> readAhead(SqlConnection tx, String userId, String sessionId, JsonObject check) {
    return totp.findForUpdate(tx, userId);
  }

  @Override
  public OptimisticCheck optimistic() {
    return optimistic;
  }

  /** A right code of the verified factor, its step newer than the last: taken by one guarded update. */
  private final OptimisticCheck optimistic = new OptimisticCheck() {
    @Override
    public Future<?> read(SqlClient client, String userId, JsonObject check) {
      return totp.find(client, userId, false);
    }

    @Override
    public Optional<GuardedWrite> accept(FactorContext ctx, JsonObject check) {
      @SuppressWarnings("unchecked")
      Optional<TotpFactor> found = (Optional<TotpFactor>) ctx.ahead().result();
      Decision<Long> step = new TotpEnrolment(ctx.user(), found)
        .decideCheck(check.getString("code"), commands::openSecret, clock.instant());
      return step instanceof Decision.Accepted<Long> accepted
        ? Optional.of(new GuardedWrite(new JsonObject(), TotpRepository::guardedStep,
          Tuple.of(ctx.user().id(), accepted.value())))
        : Optional.empty();
    }
  };

  @Override
  public Future<Decision<JsonObject>> verify(SqlConnection tx, FactorContext ctx, JsonObject check) {
    String userId = ctx.user().id();
    return ctx.<Optional<TotpFactor>>readAhead(() -> totp.findForUpdate(tx, userId)).map(found -> {
      Decision<Long> step = new TotpEnrolment(ctx.user(), found)
        .decideCheck(check.getString("code"), commands::openSecret, clock.instant());
      if (step instanceof Decision.Accepted<Long> accepted) {
        // The factor's row was read under this transaction's lock and the step is newer than its last one: the replay
        // guard's update cannot miss, so it goes out with the session's writes and the COMMIT, not waited for here.
        ctx.sendWithSession(totp.acceptStep(tx, userId, accepted.value(), clock.instant())
          .compose(moved -> moved ? Future.succeededFuture() : Future.failedFuture(new IllegalStateException(
            "a locked TOTP factor's step did not move"))));
      }
      return step.map(s -> new JsonObject());
    });
  }
}
