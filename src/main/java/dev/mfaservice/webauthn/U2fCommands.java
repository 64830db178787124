package dev.mfaservice.webauthn;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Transactions;
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
 * Registering, verifying and removing a user's security keys (several per user), for both API families (auth v1 "my"
 * calls and user v2). A registration is pending until the credential made for its challenge verifies; failures change
 * nothing (the transaction rolls back).
 */
public final class U2fCommands {
  private static final SecondFactorType U2F = SecondFactorType.SECOND_FACTOR_TYPE_U2F;
  private static final String DISCOURAGED = "discouraged";
  private final Transactions transactions;
  private final UserAccess access;
  private final UserChanges changes;
  private final WebAuthnRepository keys;
  private final WebAuthnChallenges challenges;
  private final WebAuthnCeremony ceremony;
  private final FactorNotices notices;
  private final IdGenerator ids;
  private final Clock clock;

  U2fCommands(Transactions transactions, UserAccess access, UserChanges changes, WebAuthnRepository keys,
              WebAuthnChallenges challenges, WebAuthnCeremony ceremony, FactorNotices notices,
              IdGenerator ids, Clock clock) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.keys = keys;
    this.challenges = challenges;
    this.ceremony = ceremony;
    this.notices = notices;
    this.ids = ids;
    this.clock = clock;
  }

  /** The new key's id and the options for {@code navigator.credentials.create()}. */
  public record Registration(String keyId, JsonObject options, Details details) {
  }

  public Future<Registration> register(Caller caller, String userId, String domain) {
    return transactions.run(tx -> allowedUser(tx, caller, userId).compose(user -> {
      String rpId = challenges.rpId(domain);
      String keyId = ids.next();
      Event added = changes.stamp(caller, user, "user.human.u2f.token.added",
        new JsonObject().put("webAuthNTokenId", keyId).put("rpId", rpId));
      return keys.insertPending(tx, keyId, user.id(), rpId, added.createdAt())
        .compose(v -> challenges.issue(tx, WebAuthnChallenge.Purpose.REGISTER, keyId, user.id(), rpId, DISCOURAGED))
        .compose(challenge -> keys.readyKeysOf(tx, user.id()).map(existing -> WebAuthnOptions.creation(challenge,
          challenges.rpName(), user, existing, challenges.timeoutSeconds())))
        .compose(options -> changes.write(tx, added).map(e -> new Registration(keyId, options, e.createdAndChanged())));
    }));
  }

  /** {@code keyId} null: the user's newest pending registration (auth v1 names none). */
  public Future<Details> verify(Caller caller, String userId, String keyId, JsonObject credential, String tokenName) {
    return transactions.run(tx -> load(tx, caller, userId, keyId).compose(loaded -> {
      User user = loaded.user();
      WebAuthnKey key = loaded.enrolment().decideVerify().orElseThrow();
      return challenges.open(tx, WebAuthnChallenge.Purpose.REGISTER, key.id(), user.id(), WebAuthnErrors::nothingPending)
        .compose(challenge -> {
          // webauthn4j's refusal is thrown: the transaction rolls back, nothing changed
          WebAuthnCeremony.Credential made = ceremony.register(CredentialJson.registration(credential), challenge);
          WebAuthnKey verified = SecurityKeyEnrolment.registered(key, made, tokenName);
          return keys.verify(tx, verified, clock.instant()).compose(v -> challenges.use(tx, challenge));
        })
        .compose(v -> changes.append(tx, caller, user, "user.human.u2f.token.verified",
          new JsonObject().put("webAuthNTokenId", key.id()).put("webAuthNTokenName", tokenName)))
        .compose(event -> notices.added(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_U2F).map(v -> event.changed()));
    }));
  }

  public Future<Details> remove(Caller caller, String userId, String keyId) {
    return transactions.run(tx -> access.visibleLocked(tx, caller, userId).compose(user -> keys.delete(tx, user.id(), keyId)
      .map(SecurityKeyEnrolment::decideRemove).compose(decided -> {
        boolean tell = decided.orElseThrow();
        return changes.append(tx, caller, user, "user.human.u2f.token.removed", new JsonObject().put("webAuthNTokenId", keyId))
          .compose(event -> (tell ? notices.removed(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_U2F)
            : Future.<Void>succeededFuture()).map(v -> event.changed()));
      })));
  }

  /**
   * The user (or 404) whose org allows security keys (or 400 FailedPrecondition), its row locked before any key's
   * (UserAccess's lock order).
   */
  private Future<User> allowedUser(SqlConnection tx, Caller caller, String userId) {
    return access.enrolling(tx, caller, userId, U2F).map(UserForCheck::user);
  }

  private record Loaded(User user, SecurityKeyEnrolment enrolment) {
  }

  /**
   * What a verification reads, in one round trip: the user as {@link #allowedUser}, then the key ({@code keyId} null:
   * the newest pending one), locked, sent right behind it (UserAccess's lock order: the key is read under the user's
   * lock).
   */
  private Future<Loaded> load(SqlConnection tx, Caller caller, String userId, String keyId) {
    Future<User> user = allowedUser(tx, caller, userId);
    Future<Optional<WebAuthnKey>> key = keyId == null ? keys.newestPending(tx, userId)
      : keys.findForUpdate(tx, userId, keyId);
    return Future.all(user, key).map(v -> new Loaded(user.result(), new SecurityKeyEnrolment(key.result())));
  }
}
