package dev.mfaservice.totp;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

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
  public Future<?> readAhead(SqlConnection tx, String userId) {
    return totp.findForUpdate(tx, userId);
  }

  @Override
  public Future<ApiError> verify(SqlConnection tx, FactorContext ctx, JsonObject check, JsonObject proof) {
    String userId = ctx.user().id();
    return ctx.<Optional<TotpFactor>>readAhead(() -> totp.findForUpdate(tx, userId)).compose(found -> {
      if (found.isEmpty() || !found.get().verified()) {
        return Future.succeededFuture(ApiError.failedPrecondition("SESSION-noTotp", "The user has no verified TOTP"));
      }
      OptionalLong step = commands.matchingStep(found.get(), check.getString("code"));
      if (step.isEmpty()) {
        return Future.succeededFuture(invalid());
      }
      // The factor's row was read under this transaction's lock and the step is newer than its last one: the replay
      // guard's update cannot miss, so it goes out with the session's writes and the COMMIT, not waited for here.
      ctx.sendWithSession(totp.acceptStep(tx, userId, step.getAsLong(), clock.instant())
        .compose(moved -> moved ? Future.succeededFuture() : Future.failedFuture(new IllegalStateException(
          "a locked TOTP factor's step did not move"))));
      return Future.succeededFuture(null);
    });
  }

  private static ApiError invalid() {
    return ApiError.invalidArgument("EVENT-8isk2", "Invalid code");
  }
}
