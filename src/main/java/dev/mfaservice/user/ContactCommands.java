package dev.mfaservice.user;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeCheck;
import dev.mfaservice.codes.Checked;
import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.codes.Purpose;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/** The user's contact email: set it (with the verification choice), verify it with its code, resend the code. */
public final class ContactCommands {
  private final Transactions transactions;
  private final UserAccess access;
  private final UserChanges changes;
  private final UserRepository users;
  private final VerificationCodes codes;
  private final CodeDelivery delivery;

  public ContactCommands(Transactions transactions, UserAccess access, UserChanges changes, UserRepository users,
                         VerificationCodes codes, CodeDelivery delivery) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.users = users;
    this.codes = codes;
    this.delivery = delivery;
  }

  /** {@code verificationCode} only when the caller asked for it back. */
  public record CodeResult(Details details, String verificationCode) {
  }

  private record Outcome(Event event, CodeDelivery.Delivery delivery) {
  }

  public Future<CodeResult> setEmail(Caller caller, String userId, String address, VerificationChoice choice) {
    return finish(transactions.run(tx -> access.visible(tx, caller, userId).compose(user -> {
      requireManagerFor(caller, user, choice);
      boolean verified = choice.kind() == VerificationChoice.Kind.VERIFIED;
      return users.setEmail(tx, user.id(), address, verified)
        .compose(v -> changes.append(tx, caller, user, "user.human.email.changed",
          new JsonObject().put("email", Channels.mask(address)).put("verified", verified)))
        .compose(event -> (verified ? Future.succeededFuture(CodeDelivery.Delivery.NONE)
          : sendCode(tx, caller, user, address, choice)).map(d -> new Outcome(event, d)));
    })));
  }

  public Future<CodeResult> resendEmailCode(Caller caller, String userId, VerificationChoice choice) {
    return finish(transactions.run(tx -> access.visible(tx, caller, userId).compose(user -> {
      requireManagerFor(caller, user, choice);
      String address = unverifiedEmail(user);
      return changes.append(tx, caller, user, "user.human.email.code.added", new JsonObject())
        .compose(event -> sendCode(tx, caller, user, address, choice).map(d -> new Outcome(event, d)));
    })));
  }

  /** The miss of a wrong code is committed before the caller is refused. */
  public Future<Details> verifyEmail(Caller caller, String userId, String code) {
    return transactions.run(tx -> access.visible(tx, caller, userId).compose(user -> {
      String address = unverifiedEmail(user);
      return codes.check(tx, new CodeTarget(user.id(), Purpose.CONTACT_EMAIL, "", address), code).compose(check ->
        check != CodeCheck.ACCEPTED ? Future.succeededFuture(new Checked(check, null))
          : users.markEmailVerified(tx, user.id())
            .compose(v -> changes.append(tx, caller, user, "user.human.email.verified", new JsonObject()))
            .map(event -> new Checked(check, event.changed())));
    })).compose(Checked::result);
  }

  private Future<CodeDelivery.Delivery> sendCode(SqlConnection tx, Caller caller, User user, String address,
                                                VerificationChoice choice) {
    CodeTarget target = new CodeTarget(user.id(), Purpose.CONTACT_EMAIL, "", address);
    return delivery.deliver(tx, caller.userId(), user, target, Channels.EMAIL, "verify_email", choice);
  }

  private Future<CodeResult> finish(Future<Outcome> done) {
    return done.map(outcome -> {
      delivery.dispatch(outcome.delivery());
      return new CodeResult(outcome.event().changed(), outcome.delivery().returnedCode());
    });
  }

  private static String unverifiedEmail(User user) {
    if (user.email().address() == null) {
      throw ApiError.failedPrecondition("COMMAND-noEmail", "The user has no email address");
    }
    if (user.email().verified()) {
      throw ApiError.failedPrecondition("COMMAND-emailVerified", "The email address is already verified");
    }
    return user.email().address();
  }

  /** SEC O6: returnCode and isVerified are for managers of the user's org, not for the user itself. */
  static void requireManagerFor(Caller caller, User user, VerificationChoice choice) {
    if (choice.needsManager() && !caller.mayManageUsersOf(user.orgId())) {
      throw ApiError.permissionDenied();
    }
  }
}
