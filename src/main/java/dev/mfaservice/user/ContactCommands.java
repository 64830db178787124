package dev.mfaservice.user;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeCheck;
import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * A user's contact email or phone: set it (with the verification choice), verify it with its code, resend the code.
 * Each locks the user's row first, before the codes' (UserAccess's lock order).
 */
public final class ContactCommands {
  private final Transactions transactions;
  private final UserAccess access;
  private final UserChanges changes;
  private final UserRepository users;
  private final PhoneNumbers phones;
  private final VerificationCodes codes;
  private final CodeDelivery delivery;

  public ContactCommands(Transactions transactions, UserAccess access, UserChanges changes, UserRepository users,
                         PhoneNumbers phones, VerificationCodes codes, CodeDelivery delivery) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.users = users;
    this.phones = phones;
    this.codes = codes;
    this.delivery = delivery;
  }

  /** {@code verificationCode} only when the caller asked for it back. */
  public record CodeResult(Details details, String verificationCode) {
  }

  private record Outcome(Event event, CodeDelivery.Delivery delivery) {
  }

  public Future<CodeResult> set(Caller caller, ContactKind kind, String userId, String rawAddress, VerificationChoice choice) {
    return Future.succeededFuture(rawAddress)
      .map(raw -> kind == ContactKind.PHONE ? phones.normalize(raw, "phone") : raw.trim())
      .compose(address -> finish(transactions.run(tx -> access.visibleLocked(tx, caller, userId).compose(user -> {
        requireManagerFor(caller, user, choice);
        boolean verified = choice.kind() == VerificationChoice.Kind.VERIFIED;
        return kind.set(users, tx, user.id(), address, verified)
          .compose(v -> changes.append(tx, caller, user, kind.eventPrefix() + ".changed",
            new JsonObject().put(kind.noun(), Channels.mask(address)).put("verified", verified)))
          .compose(event -> (verified ? Future.succeededFuture(CodeDelivery.Delivery.NONE)
            : sendCode(tx, caller, kind, user, address, choice)).map(d -> new Outcome(event, d)));
      }))));
  }

  public Future<CodeResult> resendCode(Caller caller, ContactKind kind, String userId, VerificationChoice choice) {
    return finish(transactions.run(tx -> access.visibleLocked(tx, caller, userId).compose(user -> {
      requireManagerFor(caller, user, choice);
      String address = unverified(kind, user);
      return changes.append(tx, caller, user, kind.eventPrefix() + ".code.added", new JsonObject())
        .compose(event -> sendCode(tx, caller, kind, user, address, choice).map(d -> new Outcome(event, d)));
    })));
  }

  /** The miss of a wrong code is committed before the caller is refused. */
  public Future<Details> verify(Caller caller, ContactKind kind, String userId, String code) {
    return transactions.run(tx -> access.visibleLocked(tx, caller, userId).compose(user -> {
      String address = unverified(kind, user);
      return codes.check(tx, new CodeTarget(user.id(), kind.purpose(), "", address), code).compose(check ->
        check != CodeCheck.ACCEPTED ? Future.succeededFuture(Decision.<Details>refuse(check.error()))
          : kind.markVerified(users, tx, user.id())
            .compose(v -> changes.append(tx, caller, user, kind.eventPrefix() + ".verified", new JsonObject()))
            .map(event -> Decision.accept(event.changed())));
    })).map(Decision::orElseThrow);
  }

  /** The code of a contact address that was just stored unverified (AddHumanUser, SetEmail, SetPhone). */
  Future<CodeDelivery.Delivery> sendCode(SqlConnection tx, Caller caller, ContactKind kind, User user, String address,
                                         VerificationChoice choice) {
    CodeTarget target = new CodeTarget(user.id(), kind.purpose(), "", address);
    return delivery.deliver(tx, caller, user, target, kind.channel(), kind.template(), choice);
  }

  private Future<CodeResult> finish(Future<Outcome> done) {
    return done.map(outcome -> {
      delivery.dispatch(outcome.delivery());
      return new CodeResult(outcome.event().changed(), outcome.delivery().returnedCode());
    });
  }

  private static String unverified(ContactKind kind, User user) {
    User.Contact contact = kind.of(user);
    if (contact.address() == null) {
      throw ApiError.failedPrecondition("COMMAND-no" + capitalized(kind), "The user has no " + kind.noun());
    }
    if (contact.verified()) {
      throw ApiError.failedPrecondition("COMMAND-" + kind.noun() + "Verified", "The " + kind.noun() + " is already verified");
    }
    return contact.address();
  }

  private static String capitalized(ContactKind kind) {
    return Character.toUpperCase(kind.noun().charAt(0)) + kind.noun().substring(1);
  }

  /** SEC O6: returnCode and isVerified are for managers of the user's org, not for the user itself. */
  static void requireManagerFor(Caller caller, User user, VerificationChoice choice) {
    if (choice.needsManager() && !caller.mayManageUsersOf(user.orgId())) {
      throw ApiError.permissionDenied();
    }
  }
}
