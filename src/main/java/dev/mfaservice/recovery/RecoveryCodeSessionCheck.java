package dev.mfaservice.recovery;

import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionCheck;
import dev.mfaservice.user.UserChanges;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.List;

/**
 * {@code checks.recoveryCode {code}}: one of the user's unused recovery codes, spent by the check. The input is
 * normalized (case, spaces, dashes), then compared with every unused code of the user without stopping at a match,
 * each comparison in constant time; the match is spent with one conditional UPDATE, so of N parallel checks with
 * one code exactly one wins (the user's row is locked as well). A malformed code is just a wrong one.
 */
public final class RecoveryCodeSessionCheck implements SessionCheck {
  static final String FAILED_EVENT = "user.human.recoverycodes.check.failed";
  private final RecoveryCodeRepository codes;
  private final CodeHasher hasher;
  private final UserChanges changes;
  private final Clock clock;

  public RecoveryCodeSessionCheck(RecoveryCodeRepository codes, CodeHasher hasher, UserChanges changes, Clock clock) {
    this.codes = codes;
    this.hasher = hasher;
    this.changes = changes;
    this.clock = clock;
  }

  @Override
  public SecondFactorType type() {
    return RecoveryCodeCommands.TYPE;
  }

  @Override
  public String failedEvent() {
    return FAILED_EVENT;
  }

  @Override
  public Future<Decision<JsonObject>> verify(SqlConnection tx, FactorContext ctx, JsonObject check) {
    List<String> binding = RecoveryCodeCommands.binding(ctx.user().id());
    return codes.unused(tx, ctx.user().id()).compose(unused -> {
      Decision<Integer> match = new RecoveryCodeSet(unused)
        .decideCheck(check.getString("code"), (stored, code) -> hasher.matches(stored, binding, code));
      return match instanceof Decision.Accepted<Integer> found ? spend(tx, ctx, found.value(), unused.size())
        : Future.succeededFuture(Decision.refuse(match.reason()));
    });
  }

  /** The matching code spent (once: of parallel checks of one code only the first finds it unused). */
  private Future<Decision<JsonObject>> spend(SqlConnection tx, FactorContext ctx, int position, int unused) {
    return codes.use(tx, ctx.user().id(), position, clock.instant()).compose(spent -> !spent
      ? Future.succeededFuture(Decision.refuse(RecoveryCodeSet.invalid()))
      : changes.append(tx, ctx.caller(), ctx.user(), "user.human.recoverycodes.check.succeeded",
        new JsonObject().put("codesLeft", unused - 1)).map(v -> Decision.accept(new JsonObject())));
  }
}
