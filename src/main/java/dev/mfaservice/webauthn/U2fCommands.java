package dev.mfaservice.webauthn;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.notify.FactorNotices;
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
  private final SecondFactorPolicy policy;
  private final FactorNotices notices;
  private final IdGenerator ids;
  private final Clock clock;

  U2fCommands(Transactions transactions, UserAccess access, UserChanges changes, WebAuthnRepository keys,
              WebAuthnChallenges challenges, WebAuthnCeremony ceremony, SecondFactorPolicy policy, FactorNotices notices,
              IdGenerator ids, Clock clock) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.keys = keys;
    this.challenges = challenges;
    this.ceremony = ceremony;
    this.policy = policy;
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
    return transactions.run(tx -> allowedUser(tx, caller, userId).compose(user -> pending(tx, user, keyId)
      .compose(key -> challenges.open(tx, WebAuthnChallenge.Purpose.REGISTER, key.id(), user.id(),
          WebAuthnErrors::nothingPending)
        .compose(challenge -> {
          WebAuthnCeremony.Credential made = ceremony.register(CredentialJson.registration(credential), challenge);
          WebAuthnKey verified = new WebAuthnKey(key.id(), user.id(), key.rpId(), tokenName, made.credentialId(),
            made.publicKey(), made.aaguid(), made.signCount(), made.transports(), true, key.createdAt());
          return keys.verify(tx, verified, clock.instant()).compose(v -> challenges.use(tx, challenge));
        })
        .compose(v -> changes.append(tx, caller, user, "user.human.u2f.token.verified",
          new JsonObject().put("webAuthNTokenId", key.id()).put("webAuthNTokenName", tokenName)))
        .compose(event -> notices.added(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_U2F).map(v -> event.changed())))));
  }

  public Future<Details> remove(Caller caller, String userId, String keyId) {
    return transactions.run(tx -> access.visibleLocked(tx, caller, userId).compose(user -> keys.delete(tx, user.id(), keyId)
      .compose(deleted -> deleted.isEmpty() ? Future.failedFuture(WebAuthnErrors.notFound())
        : changes.append(tx, caller, user, "user.human.u2f.token.removed", new JsonObject().put("webAuthNTokenId", keyId))
          .compose(event -> (deleted.get() ? notices.removed(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_U2F)
            : Future.<Void>succeededFuture()).map(v -> event.changed())))));
  }

  /**
   * The user (or 404) whose org allows security keys (or 400 FailedPrecondition), its row locked before any key's
   * (UserAccess's lock order).
   */
  private Future<User> allowedUser(SqlConnection tx, Caller caller, String userId) {
    Future<User> user = access.visibleLocked(tx, caller, userId);
    Future<Boolean> allowed = user.compose(u -> policy.allowsForUser(tx, u.id(), U2F));
    return allowed.compose(ok -> ok ? user : Future.failedFuture(SecondFactorPolicy.refusal(U2F)));
  }

  private Future<WebAuthnKey> pending(SqlConnection tx, User user, String keyId) {
    Future<Optional<WebAuthnKey>> found = keyId == null ? keys.newestPending(tx, user.id())
      : keys.findForUpdate(tx, user.id(), keyId);
    return found.map(key -> {
      WebAuthnKey pending = key.orElseThrow(WebAuthnErrors::nothingPending);
      if (pending.verified()) {
        throw WebAuthnErrors.alreadyVerified();
      }
      return pending;
    });
  }
}
