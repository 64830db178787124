package dev.mfaservice.user;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.org.OrgRepository;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/** Creating and removing human users. */
public final class UserCommands {
  public static final String AGGREGATE = "user";

  private final Transactions transactions;
  private final EventStore events;
  private final UserRepository users;
  private final OrgRepository orgs;
  private final UserAccess access;
  private final IdGenerator ids;
  private final CodeDelivery delivery;
  private final ContactCommands contacts;
  private final PhoneNumbers phones;

  public UserCommands(Transactions transactions, EventStore events, UserRepository users, OrgRepository orgs,
                      UserAccess access, IdGenerator ids, CodeDelivery delivery, ContactCommands contacts, PhoneNumbers phones) {
    this.transactions = transactions;
    this.events = events;
    this.users = users;
    this.orgs = orgs;
    this.access = access;
    this.ids = ids;
    this.delivery = delivery;
    this.contacts = contacts;
    this.phones = phones;
  }

  /** {@code emailCode}, {@code phoneCode}: the contact codes, when the caller asked for them back (returnCode). */
  public record UserAdded(String userId, Details details, String emailCode, String phoneCode) {
  }

  public Future<UserAdded> addHuman(Caller caller, NewHuman raw) {
    return Future.succeededFuture(raw)
      .map(r -> r.phone().address() == null ? r : r.withPhone(phones.normalize(r.phone().address(), "phone.phone")))
      .compose(request -> addNormalized(caller, request));
  }

  private Future<UserAdded> addNormalized(Caller caller, NewHuman request) {
    String orgId = request.orgId() != null ? request.orgId() : caller.orgId();
    if (!caller.mayManageUsersOf(orgId)) {
      return Future.failedFuture(ApiError.permissionDenied());
    }
    String username = request.username() != null ? request.username() : request.email().address();
    if (username == null) {
      return Future.failedFuture(ApiError.invalidArgument("USER-usernameMissing",
        "username is required when no email is given"));
    }
    String userId = request.userId() != null ? request.userId() : ids.next();
    return transactions.run(tx -> requireOrg(tx, orgId).compose(v -> add(tx, caller, userId, orgId, username, request))
      .compose(user -> contactCode(tx, caller, ContactKind.EMAIL, user, request.emailChoice())
        .compose(email -> contactCode(tx, caller, ContactKind.PHONE, user, request.phoneChoice())
          .map(phone -> new Added(user, email, phone)))))
      .map(added -> {
        delivery.dispatch(added.email());
        delivery.dispatch(added.phone());
        return new UserAdded(added.user().id(), new Details(added.user().sequence(), added.user().createdAt(), null,
          added.user().orgId()), added.email().returnedCode(), added.phone().returnedCode());
      });
  }

  public Future<Details> removeUser(Caller caller, String userId) {
    return transactions.run(tx -> access.managed(tx, caller, userId).compose(user -> remove(tx, caller, user)));
  }

  private Future<Void> requireOrg(SqlConnection tx, String orgId) {
    return orgs.find(tx, orgId).map(org -> {
      if (org.isEmpty()) {
        throw ApiError.notFound("ORG-notFound", "Organization could not be found");
      }
      return null;
    });
  }

  private record Added(User user, CodeDelivery.Delivery email, CodeDelivery.Delivery phone) {
  }

  /** A contact address that is not declared verified gets a code, sent or returned as asked. */
  private Future<CodeDelivery.Delivery> contactCode(SqlConnection tx, Caller caller, ContactKind kind, User user,
                                                    VerificationChoice choice) {
    User.Contact contact = kind.of(user);
    if (contact.address() == null || contact.verified()) {
      return Future.succeededFuture(CodeDelivery.Delivery.NONE);
    }
    return contacts.sendCode(tx, caller, kind, user, contact.address(), choice);
  }

  private Future<User> add(SqlConnection tx, Caller caller, String userId, String orgId, String username,
                           NewHuman r) {
    String displayName = r.displayName() != null ? r.displayName() : r.givenName() + " " + r.familyName();
    JsonObject payload = new JsonObject().put("username", username).put("givenName", r.givenName())
      .put("familyName", r.familyName()).put("displayName", displayName)
      .put("emailVerified", r.email().verified()).put("phoneVerified", r.phone().verified());
    NewEvent added = new NewEvent(AGGREGATE, userId, "user.human.added", payload, caller.userId(), orgId);
    return events.append(tx, added, 0).compose(event -> {
      User user = new User(userId, orgId, username, r.givenName(), r.familyName(), displayName, r.preferredLanguage(),
        r.email(), r.phone(), "USER_STATE_ACTIVE", event.sequence(), event.createdAt(), event.createdAt());
      return users.insert(tx, user).map(user);
    });
  }

  private Future<Details> remove(SqlConnection tx, Caller caller, User user) {
    NewEvent removed = new NewEvent(AGGREGATE, user.id(), "user.removed", new JsonObject(), caller.userId(), user.orgId());
    return events.append(tx, removed, user.sequence())
      .compose(event -> users.delete(tx, user.id()).map(v -> event))
      .map(Event::changed);
  }
}
