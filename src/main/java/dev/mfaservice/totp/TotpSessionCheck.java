package dev.mfaservice.totp;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
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
  public String name() {
    return "totp";
  }

  @Override
  public SecondFactorType policyType() {
    return SecondFactorType.SECOND_FACTOR_TYPE_OTP;
  }

  @Override
  public Future<ApiError> verify(SqlConnection tx, FactorContext ctx, JsonObject check, JsonObject proof) {
    String userId = ctx.user().id();
    return totp.findForUpdate(tx, userId).compose(found -> {
      if (found.isEmpty() || !found.get().verified()) {
        return Future.succeededFuture(ApiError.failedPrecondition("SESSION-noTotp", "The user has no verified TOTP"));
      }
      OptionalLong step = commands.matchingStep(found.get(), check.getString("code"));
      if (step.isEmpty()) {
        return Future.succeededFuture(invalid());
      }
      return totp.acceptStep(tx, userId, step.getAsLong(), clock.instant()).map(ok -> ok ? null : invalid());
    });
  }

  private static ApiError invalid() {
    return ApiError.invalidArgument("EVENT-8isk2", "Invalid code");
  }
}
