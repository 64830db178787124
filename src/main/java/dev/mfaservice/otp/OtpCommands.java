package dev.mfaservice.otp;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.PhoneNumbers;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserChanges;
import dev.mfaservice.user.UserForCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.Optional;

/**
 * OTP by email and by SMS: v3alpha authenticators with an address of their own (proven by a
 * code, or declared verified by a manager), and v2's switch that uses the verified contact
 * address. One implementation; {@link OtpChannel} holds what differs.
 */
public final class OtpCommands {
  private final Transactions transactions;
  private final UserAccess access;
  private final UserChanges changes;
  private final OtpRepository authenticators;
  private final PhoneNumbers phones;
  private final VerificationCodes codes;
  private final CodeDelivery delivery;
  private final Lockout lockout;
  private final FactorNotices notices;
  private final IdGenerator ids;
  private final Clock clock;

  public OtpCommands(Transactions transactions, UserAccess access, UserChanges changes, OtpRepository authenticators,
                     PhoneNumbers phones, VerificationCodes codes, CodeDelivery delivery,
                     Lockout lockout, FactorNotices notices, IdGenerator ids, Clock clock) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.authenticators = authenticators;
    this.phones = phones;
    this.codes = codes;
    this.delivery = delivery;
    this.lockout = lockout;
    this.notices = notices;
    this.ids = ids;
    this.clock = clock;
  }

  public record Added(String id, Details details, String verificationCode) {
  }

  private record Outcome(String id, Event event, CodeDelivery.Delivery delivery) {
  }

  /** @param field the request field of the address, for errors ("email.address", "phone.number") */
  public Future<Added> addAuthenticator(Caller caller, OtpChannel channel, String userId, String rawAddress, String field,
                                        VerificationChoice choice) {
    return Future.succeededFuture(rawAddress)
      .map(raw -> channel == OtpChannel.SMS ? phones.normalize(raw, field) : raw.trim())
      .compose(address -> add(caller, channel, userId, address, choice));
  }

  private Future<Added> add(Caller caller, OtpChannel channel, String userId, String address, VerificationChoice choice) {
    return transactions.run(tx -> enrollable(tx, caller, channel, userId).compose(user -> {
      boolean verified = OtpAuthenticatorEnrolment.of(channel, user).decideAdd(choice, caller).orElseThrow();
      String id = ids.next();
      return authenticators.insert(tx, channel, id, user.id(), address, verified, clock.instant())
        .compose(v -> changes.append(tx, caller, user, channel.eventPrefix() + ".added",
          new JsonObject().put("id", id).put(channel.noun(), Channels.mask(address)).put("verified", verified)))
        .compose(event -> (verified ? notices.added(tx, caller, user, channel.type()).map(CodeDelivery.Delivery.NONE)
          : delivery.deliver(tx, caller, user, new CodeTarget(user.id(), channel.enrolPurpose(), id, address),
            channel.channel(), channel.template(), choice)).map(d -> new Outcome(id, event, d)));
    })).map(outcome -> {
      delivery.dispatch(outcome.delivery());
      return new Added(outcome.id(), outcome.event().createdAndChanged(), outcome.delivery().returnedCode());
    });
  }

  public Future<Details> verifyAuthenticator(Caller caller, OtpChannel channel, String userId, String id, String code) {
    // The user's row is locked first, then the authenticator's (UserAccess's lock order), both sent at once: a
    // verification that waited for another one reads the user as that one left it (else their events would clash).
    return transactions.run(tx -> {
      Future<User> enrolling = enrollable(tx, caller, channel, userId);
      Future<Optional<OtpAuthenticator>> found = authenticators.findForUpdate(tx, channel, userId, id);
      return Future.all(enrolling, found).compose(read -> {
        User user = enrolling.result();
        OtpAuthenticator a = new OtpAuthenticatorEnrolment(channel, user, found.result()).decideVerify().orElseThrow();
        return counted(tx, caller, channel, user, a, code);
      });
    }).map(Decision::orElseThrow);
  }

  /**
   * SEC O7: a registration's wrong codes count towards the user's lockout too; a right one verifies the authenticator.
   * A refusal commits its count. The count is read in a statement of its own, once the user's lock is held: it sees
   * what a check that held the lock before committed (the statement that waited for the lock reads an older snapshot).
   */
  private Future<Decision<Details>> counted(SqlConnection tx, Caller caller, OtpChannel channel, User user,
                                            OtpAuthenticator a, String code) {
    return lockout.check(tx, caller, user, channel.type().name(),
        () -> codes.check(tx, new CodeTarget(user.id(), channel.enrolPurpose(), a.id(), a.address()), code)
          .map(OtpAuthenticatorEnrolment::decideCode))
      .compose(decision -> !decision.accepted() ? Future.succeededFuture(Decision.<Details>refuse(decision.reason()))
        : authenticators.markVerified(tx, a.id(), clock.instant())
          .compose(v -> changes.append(tx, caller, user, channel.eventPrefix() + ".verified", new JsonObject().put("id", a.id())))
          .compose(event -> notices.added(tx, caller, user, channel.type()).map(Decision.accept(event.changed()))));
  }

  public Future<Details> removeAuthenticator(Caller caller, OtpChannel channel, String userId, String id) {
    return transactions.run(tx -> access.visibleLocked(tx, caller, userId)
      .compose(user -> authenticators.delete(tx, channel, user.id(), id)
        .map(deleted -> OtpAuthenticatorEnrolment.decideRemove(channel, deleted)).compose(decided -> {
          boolean tell = decided.orElseThrow();
          return changes.append(tx, caller, user, channel.eventPrefix() + ".removed", new JsonObject().put("id", id))
            .compose(event -> (tell ? notices.removed(tx, caller, user, channel.type()) : Future.<Void>succeededFuture())
              .map(event.changed()));
        })));
  }

  /** v2 AddOTPEmail / AddOTPSMS: OTP on the user's verified contact email or phone. */
  public Future<Details> enableOnContact(Caller caller, OtpChannel channel, String userId) {
    return transactions.run(tx -> enrollable(tx, caller, channel, userId).compose(user -> {
      OtpAuthenticatorEnrolment.of(channel, user).decideEnableOnContact().orElseThrow();
      return authenticators.insert(tx, channel, ids.next(), user.id(), null, true, clock.instant())
        .compose(v -> changes.append(tx, caller, user, channel.eventPrefix() + ".added", new JsonObject().put("contact", true)))
        .compose(event -> notices.added(tx, caller, user, channel.type()).map(event.createdAndChanged()));
    }));
  }

  public Future<Details> disableOnContact(Caller caller, OtpChannel channel, String userId) {
    return transactions.run(tx -> access.visibleLocked(tx, caller, userId)
      .compose(user -> authenticators.deleteContact(tx, channel, user.id())
        .map(deleted -> OtpAuthenticatorEnrolment.decideDisableOnContact(channel, deleted).orElseThrow())
        .compose(v -> changes.append(tx, caller, user, channel.eventPrefix() + ".removed", new JsonObject().put("contact", true)))
        .compose(event -> notices.removed(tx, caller, user, channel.type()).map(event.changed()))));
  }

  /**
   * The user (else 404), its row locked (before any authenticator's: UserAccess's lock order), whose org allows the
   * channel (else 9): one statement, an authenticator's read can go right behind it.
   */
  private Future<User> enrollable(SqlConnection tx, Caller caller, OtpChannel channel, String userId) {
    return access.enrolling(tx, caller, userId, channel.type()).map(UserForCheck::user);
  }
}
