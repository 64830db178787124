package dev.mfaservice.recovery;

import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.errors.ApiError;
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
  public Future<ApiError> verify(SqlConnection tx, FactorContext ctx, JsonObject check, JsonObject proof) {
    String userId = ctx.user().id();
    String code = RecoveryCodeFormat.normalize(check.getString("code"));
    return codes.unused(tx, userId).compose(unused -> {
      if (unused.isEmpty()) {
        return Future.succeededFuture(ApiError.failedPrecondition("RECOVERY-noCodes", "The user has no unused recovery codes"));
      }
      int position = code == null ? -1 : matching(unused, RecoveryCodeCommands.binding(userId), code);
      if (position < 0) {
        return Future.succeededFuture(invalid());
      }
      return codes.use(tx, userId, position, clock.instant()).compose(spent -> !spent ? Future.succeededFuture(invalid())
        : changes.append(tx, ctx.caller(), ctx.user(), "user.human.recoverycodes.check.succeeded",
          new JsonObject().put("codesLeft", unused.size() - 1)).map(v -> (ApiError) null));
    });
  }

  /** The position of the code that matches, or -1; every code is compared, whatever matched before. */
  private int matching(List<RecoveryCodeRepository.StoredCode> unused, List<String> binding, String code) {
    int found = -1;
    for (RecoveryCodeRepository.StoredCode stored : unused) {
      boolean equal = hasher.matches(stored.hashed(), binding, code);
      found = equal && found < 0 ? stored.position() : found;
    }
    return found;
  }

  static ApiError invalid() {
    return ApiError.invalidArgument("RECOVERY-invalid", "Invalid recovery code");
  }
}
