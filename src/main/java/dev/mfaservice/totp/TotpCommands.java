package dev.mfaservice.totp;

import dev.mfaservice.app.Config;
import dev.mfaservice.auth.Caller;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.SecondFactorPolicy;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserChanges;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Registering, verifying and removing a user's TOTP authenticator: one per user, pending until
 * a code proves it. Both API families (auth v1 "my" calls and user v2) come here.
 */
public final class TotpCommands {
  private final Transactions transactions;
  private final UserAccess access;
  private final UserChanges changes;
  private final TotpRepository factors;
  private final TotpCodes codes;
  private final Keyring keyring;
  private final SecondFactorPolicy policy;
  private final Config.Totp config;
  private final Clock clock;

  public TotpCommands(Transactions transactions, UserAccess access, UserChanges changes, TotpRepository factors,
                      TotpCodes codes, Keyring keyring, SecondFactorPolicy policy, Config.Totp config, Clock clock) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.factors = factors;
    this.codes = codes;
    this.keyring = keyring;
    this.policy = policy;
    this.config = config;
    this.clock = clock;
  }

  /** The secret, shown once: in this answer and nowhere else (SEC T9). */
  public record Registration(String uri, String secret, Details details) {
  }

  public Future<Registration> register(Caller caller, String userId) {
    return transactions.run(tx -> access.visible(tx, caller, userId)
      .compose(user -> allowed(tx, user))
      .compose(user -> factors.findForUpdate(tx, userId).compose(existing -> {
        if (existing.isPresent() && existing.get().verified()) {
          return Future.failedFuture(ApiError.alreadyExists("COMMAND-do9se",
            "Multifactor OTP (OneTimePassword) is already set up"));
        }
        return startRegistration(tx, caller, user);
      })));
  }

  /** Finishing the registration is part of enrolling: the policy must still allow TOTP. */
  public Future<Details> verify(Caller caller, String userId, String code) {
    return transactions.run(tx -> access.visible(tx, caller, userId)
      .compose(user -> allowed(tx, user))
      .compose(user -> factors.findForUpdate(tx, userId).compose(found -> {
        TotpFactor factor = found.filter(f -> f.verified() || !expired(f)).orElseThrow(TotpCommands::nothingPending);
        if (factor.verified()) {
          return Future.failedFuture(ApiError.failedPrecondition("COMMAND-qx4ls", "OTP is already verified"));
        }
        return acceptCode(tx, user, factor, code)
          .compose(v -> changes.append(tx, caller, user, "user.human.otp.verified", new JsonObject()))
          .map(Event::changed);
      })));
  }

  public Future<Details> remove(Caller caller, String userId) {
    return transactions.run(tx -> access.visible(tx, caller, userId)
      .compose(user -> factors.delete(tx, userId).compose(deleted -> deleted
        ? changes.append(tx, caller, user, "user.human.otp.removed", new JsonObject()).map(Event::changed)
        : Future.failedFuture(ApiError.notFound("COMMAND-Hd9sd", "OTP is not set up for this user")))));
  }

  private Future<User> allowed(SqlConnection tx, User user) {
    return policy.require(tx, user.orgId(), SecondFactorType.SECOND_FACTOR_TYPE_OTP).map(user);
  }

  private Future<Registration> startRegistration(SqlConnection tx, Caller caller, User user) {
    TotpSettings settings = new TotpSettings(config.algorithm(), config.digits(), config.periodSeconds());
    String secret = codes.newSecret(settings);
    byte[] sealed = keyring.seal(secret.getBytes(StandardCharsets.US_ASCII), TotpFactor.sealingContext(user.id()));
    JsonObject payload = new JsonObject().put("algorithm", settings.algorithm()).put("digits", settings.digits())
      .put("period", settings.periodSeconds());
    return changes.append(tx, caller, user, "user.human.otp.added", payload)
      .compose(event -> factors.savePending(tx, user.id(), sealed, settings, event.createdAt())
        .map(v -> new Registration(OtpAuthUri.of(config.issuer(), user.loginName(), secret, settings), secret,
          event.createdAndChanged())));
  }

  /**
   * Checks the code against the window and records its step; a wrong code, a malformed one and
   * a replay (a step not newer than the last accepted one) all get the same answer.
   */
  Future<Void> acceptCode(SqlConnection tx, User user, TotpFactor factor, String code) {
    String normalized = TotpCodes.normalize(code, factor.settings().digits());
    Instant now = clock.instant();
    OptionalLong step = normalized == null ? OptionalLong.empty()
      : TotpCodes.matchingStep(openSecret(factor), factor.settings(), normalized, now);
    if (step.isEmpty() || step.getAsLong() <= factor.lastUsedStep()) {
      return Future.failedFuture(invalidCode());
    }
    return factors.acceptStep(tx, user.id(), step.getAsLong(), now)
      .compose(accepted -> accepted ? Future.<Void>succeededFuture() : Future.failedFuture(invalidCode()));
  }

  private String openSecret(TotpFactor factor) {
    return new String(keyring.open(factor.sealedSecret(), TotpFactor.sealingContext(factor.userId())),
      StandardCharsets.US_ASCII);
  }

  private boolean expired(TotpFactor pending) {
    return pending.createdAt().plus(Duration.ofSeconds(config.pendingSeconds())).isBefore(clock.instant());
  }

  private static ApiError nothingPending() {
    return ApiError.notFound("COMMAND-3Mif9s", "No OTP registration is pending: register one first");
  }

  private static ApiError invalidCode() {
    return ApiError.invalidArgument("EVENT-8isk2", "Invalid code");
  }
}
