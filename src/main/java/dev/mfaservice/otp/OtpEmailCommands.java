package dev.mfaservice.otp;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeCheck;
import dev.mfaservice.codes.Checked;
import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.codes.Purpose;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.VerificationChoice;
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
import java.time.Clock;

/**
 * OTP email: v3alpha authenticators with an address of their own (proven by a code, or declared
 * verified by a manager), and v2's switch that uses the verified contact email.
 */
public final class OtpEmailCommands {
  private static final SecondFactorType TYPE = SecondFactorType.SECOND_FACTOR_TYPE_OTP_EMAIL;
  private final Transactions transactions;
  private final UserAccess access;
  private final UserChanges changes;
  private final OtpEmailRepository authenticators;
  private final VerificationCodes codes;
  private final CodeDelivery delivery;
  private final SecondFactorPolicy policy;
  private final IdGenerator ids;
  private final Clock clock;

  public OtpEmailCommands(Transactions transactions, UserAccess access, UserChanges changes, OtpEmailRepository authenticators,
                          VerificationCodes codes, CodeDelivery delivery, SecondFactorPolicy policy, IdGenerator ids,
                          Clock clock) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.authenticators = authenticators;
    this.codes = codes;
    this.delivery = delivery;
    this.policy = policy;
    this.ids = ids;
    this.clock = clock;
  }

  public record Added(String otpEmailId, Details details, String verificationCode) {
  }

  private record Outcome(String id, Event event, CodeDelivery.Delivery delivery) {
  }

  public Future<Added> addAuthenticator(Caller caller, String userId, String address, VerificationChoice choice) {
    return transactions.run(tx -> enrollable(tx, caller, userId).compose(user -> {
      if (choice.needsManager() && !caller.mayManageUsersOf(user.orgId())) {
        return Future.failedFuture(ApiError.permissionDenied());
      }
      String id = ids.next();
      boolean verified = choice.kind() == VerificationChoice.Kind.VERIFIED;
      return authenticators.insert(tx, id, user.id(), address, verified, clock.instant())
        .compose(v -> changes.append(tx, caller, user, "user.human.otp.email.added",
          new JsonObject().put("id", id).put("email", Channels.mask(address)).put("verified", verified)))
        .compose(event -> (verified ? Future.succeededFuture(CodeDelivery.Delivery.NONE)
          : delivery.deliver(tx, caller.userId(), user, new CodeTarget(user.id(), Purpose.ENROL_EMAIL, id, address),
            Channels.EMAIL, "verify_email", choice)).map(d -> new Outcome(id, event, d)));
    })).map(outcome -> {
      delivery.dispatch(outcome.delivery());
      return new Added(outcome.id(), outcome.event().createdAndChanged(), outcome.delivery().returnedCode());
    });
  }

  public Future<Details> verifyAuthenticator(Caller caller, String userId, String otpEmailId, String code) {
    return transactions.run(tx -> enrollable(tx, caller, userId)
      .compose(user -> authenticators.findForUpdate(tx, user.id(), otpEmailId).compose(found -> {
        OtpEmailAuthenticator a = found.filter(x -> x.address() != null).orElseThrow(OtpEmailCommands::notFound);
        if (a.verified()) {
          return Future.failedFuture(ApiError.failedPrecondition("OTP-alreadyVerified", "The authenticator is verified already"));
        }
        return codes.check(tx, new CodeTarget(user.id(), Purpose.ENROL_EMAIL, a.id(), a.address()), code)
          .compose(check -> check != CodeCheck.ACCEPTED ? Future.succeededFuture(new Checked(check, null))
            : authenticators.markVerified(tx, a.id(), clock.instant())
              .compose(v -> changes.append(tx, caller, user, "user.human.otp.email.verified", new JsonObject().put("id", a.id())))
              .map(event -> new Checked(check, event.changed())));
      }))).compose(Checked::result);
  }

  public Future<Details> removeAuthenticator(Caller caller, String userId, String otpEmailId) {
    return transactions.run(tx -> access.visible(tx, caller, userId)
      .compose(user -> authenticators.delete(tx, user.id(), otpEmailId).compose(deleted -> deleted
        ? changes.append(tx, caller, user, "user.human.otp.email.removed", new JsonObject().put("id", otpEmailId))
          .map(Event::changed)
        : Future.failedFuture(notFound()))));
  }

  /** v2 AddOTPEmail: OTP email on the user's verified contact email. */
  public Future<Details> enableOnContact(Caller caller, String userId) {
    return transactions.run(tx -> enrollable(tx, caller, userId).compose(user -> {
      if (user.email().address() == null || !user.email().verified()) {
        return Future.failedFuture(ApiError.failedPrecondition("COMMAND-KLJ2d", "The user's email is not verified"));
      }
      return authenticators.insert(tx, ids.next(), user.id(), null, true, clock.instant())
        .compose(v -> changes.append(tx, caller, user, "user.human.otp.email.added", new JsonObject().put("contact", true)))
        .map(Event::createdAndChanged);
    }));
  }

  public Future<Details> disableOnContact(Caller caller, String userId) {
    return transactions.run(tx -> access.visible(tx, caller, userId)
      .compose(user -> authenticators.deleteContact(tx, user.id()).compose(deleted -> deleted
        ? changes.append(tx, caller, user, "user.human.otp.email.removed", new JsonObject().put("contact", true))
          .map(Event::changed)
        : Future.failedFuture(ApiError.notFound("COMMAND-Hd9sd", "OTP email is not set up for this user")))));
  }

  private Future<User> enrollable(SqlConnection tx, Caller caller, String userId) {
    return access.visible(tx, caller, userId).compose(user -> policy.require(tx, user.orgId(), TYPE).map(user));
  }

  private static ApiError notFound() {
    return ApiError.notFound("OTP-notFound", "The user has no such OTP email authenticator");
  }
}
