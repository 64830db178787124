package dev.mfaservice.webauthn;

import com.webauthn4j.data.AuthenticationData;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionCheck;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.user.UserChanges;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code checks.webAuthN {credentialAssertionData}}: the assertion answering this session's open challenge, made by
 * a ready key of the session's user. Records {@code userVerified}; a refusal is counted like a wrong code and
 * leaves the challenge open. A counter that did not grow is refused as a possible clone and recorded on the key.
 */
public final class WebAuthnSessionCheck implements SessionCheck {
  static final String KEY_AGGREGATE = "webauthn_key";
  private final WebAuthnSignInStore store;
  private final WebAuthnChallenges challenges;
  private final WebAuthnCeremony ceremony;
  private final UserChanges changes;
  private final EventStore events;
  private final Clock clock;

  WebAuthnSessionCheck(WebAuthnSignInStore store, WebAuthnChallenges challenges, WebAuthnCeremony ceremony,
                       UserChanges changes, EventStore events, Clock clock) {
    this.store = store;
    this.challenges = challenges;
    this.ceremony = ceremony;
    this.changes = changes;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public SecondFactorType type() {
    return SecondFactorType.SECOND_FACTOR_TYPE_U2F;
  }

  /** The assertion as read (or why it could not be) and what the database holds for it. */
  private record Read(CredentialJson.Assertion assertion, RuntimeException unreadable,
                      Optional<WebAuthnSignInStore.Opened> opened) {
  }

  /** The open challenge and the asserting key, sent with the user's read, after the user's lock. */
  @Override
  public Future<?> readAhead(SqlConnection tx, String userId, String sessionId, JsonObject check) {
    return read(tx, userId, sessionId, check);
  }

  /**
   * One statement: the open challenge (locked) with the user's ready key of the assertion's credential id. An
   * assertion that cannot be read is refused after the challenge is looked at, as it always was.
   */
  private Future<Read> read(SqlConnection tx, String userId, String sessionId, JsonObject check) {
    CredentialJson.Assertion assertion;
    try {
      assertion = CredentialJson.assertion(check.getJsonObject("credentialAssertionData"));
    } catch (RuntimeException unreadable) {
      return store.open(tx, WebAuthnChallenge.Purpose.LOGIN, sessionId, userId, new byte[0])
        .map(opened -> new Read(null, unreadable, opened));
    }
    return store.open(tx, WebAuthnChallenge.Purpose.LOGIN, sessionId, userId, assertion.rawId())
      .map(opened -> new Read(assertion, null, opened));
  }

  @Override
  public Future<Decision<JsonObject>> verify(SqlConnection tx, FactorContext ctx, JsonObject check) {
    // the refusals in the order they always came: no challenge or an expired one, an unreadable assertion, an unknown
    // key, then the ceremony's
    return ctx.<Read>readAhead(() -> read(tx, ctx.user().id(), ctx.session().id(), check))
      .compose(read -> {
        WebAuthnChallenge challenge = challenges.opened(read.opened().map(WebAuthnSignInStore.Opened::challenge),
          WebAuthnErrors::noChallenge);
        if (read.unreadable() != null) {
          throw read.unreadable();
        }
        WebAuthnKey key = SecurityKeyEnrolment.decideSignIn(read.opened().get().key().stream().toList(),
          read.assertion().rawId()).orElseThrow();
        return asserted(tx, ctx, challenge, read.assertion(), key);
      })
      .recover(e -> e instanceof ApiError refused && refused.id().startsWith("WEBAUTHN-")
        ? Future.succeededFuture(Decision.refuse(refused)) : Future.failedFuture(e));
  }

  /** The assertion, by a ready key of the user, verified against the challenge; a refusal thrown is counted above. */
  private Future<Decision<JsonObject>> asserted(SqlConnection tx, FactorContext ctx, WebAuthnChallenge challenge,
                                                CredentialJson.Assertion assertion, WebAuthnKey key) {
    AuthenticationData data;
    try {
      data = ceremony.authenticate(assertion, challenge, key);
    } catch (ApiError refused) {
      return "WEBAUTHN-counter".equals(refused.id()) ? suspectClone(tx, ctx, key).map(v -> Decision.refuse(refused))
        : Future.succeededFuture(Decision.refuse(refused));
    }
    long signCount = data.getAuthenticatorData().getSignCount();
    // the counter, the challenge used up and (when the counter moved) the user's event: one statement, sent with the
    // session's writes and the COMMIT. It cannot miss: the challenge's row is locked by this transaction, the key
    // cannot go (its removal locks the user's row first, which this transaction holds), and the key's row is the only
    // lock it takes that this transaction does not hold yet. Should it fail all the same, the request is rolled back.
    Event counted = signCount == key.signCount() ? null : changes.stamp(ctx.caller(), ctx.user(),
      "user.human.u2f.token.signcount.changed", new JsonObject().put("webAuthNTokenId", key.id()).put("signCount", signCount));
    ctx.sendWithSession(store.accepted(tx, key, signCount, clock.instant(), challenge, counted));
    return Future.succeededFuture(Decision.accept(
      new JsonObject().put("userVerified", data.getAuthenticatorData().isFlagUV())));
  }

  /** On the key's own aggregate: the user's next event is the failed check the lockout records. */
  private Future<Void> suspectClone(SqlConnection tx, FactorContext ctx, WebAuthnKey key) {
    NewEvent event = new NewEvent(KEY_AGGREGATE, key.id(), "user.human.u2f.token.signcount.regressed",
      new JsonObject().put("userId", ctx.user().id()).put("storedSignCount", key.signCount()), ctx.caller().userId(),
      ctx.user().orgId());
    return events.currentSequence(tx, KEY_AGGREGATE, key.id()).compose(seq -> events.append(tx, event, seq)).mapEmpty();
  }
}
