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

  @Override
  public Future<Decision<JsonObject>> verify(SqlConnection tx, FactorContext ctx, JsonObject check) {
    CredentialJson.Assertion assertion;
    RuntimeException unreadable = null;
    try {
      assertion = CredentialJson.assertion(check.getJsonObject("credentialAssertionData"));
    } catch (RuntimeException e) {
      assertion = null;
      unreadable = e;
    }
    CredentialJson.Assertion read = assertion;
    RuntimeException malformed = unreadable;
    // one statement: the open challenge (locked) with the user's ready key of the assertion's credential id; the
    // refusals come in the order they always did: no challenge or an expired one, an unreadable assertion, an
    // unknown key, then the ceremony's
    return store.open(tx, WebAuthnChallenge.Purpose.LOGIN, ctx.session().id(), ctx.user().id(),
        read == null ? new byte[0] : read.rawId())
      .compose(opened -> {
        WebAuthnChallenge challenge = challenges.opened(opened.map(WebAuthnSignInStore.Opened::challenge),
          WebAuthnErrors::noChallenge);
        if (malformed != null) {
          throw malformed;
        }
        WebAuthnKey key = SecurityKeyEnrolment.decideSignIn(opened.get().key().stream().toList(), read.rawId())
          .orElseThrow();
        return asserted(tx, ctx, challenge, read, key);
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
    // the counter, the challenge used up and (when the counter moved) the user's event: one statement; the key's row
    // is the only lock it takes that this transaction does not hold yet
    Event counted = signCount == key.signCount() ? null : changes.stamp(ctx.caller(), ctx.user(),
      "user.human.u2f.token.signcount.changed", new JsonObject().put("webAuthNTokenId", key.id()).put("signCount", signCount));
    JsonObject proof = new JsonObject().put("userVerified", data.getAuthenticatorData().isFlagUV());
    return store.accepted(tx, key, signCount, clock.instant(), challenge, counted).map(v -> Decision.accept(proof));
  }

  /** On the key's own aggregate: the user's next event is the failed check the lockout records. */
  private Future<Void> suspectClone(SqlConnection tx, FactorContext ctx, WebAuthnKey key) {
    NewEvent event = new NewEvent(KEY_AGGREGATE, key.id(), "user.human.u2f.token.signcount.regressed",
      new JsonObject().put("userId", ctx.user().id()).put("storedSignCount", key.signCount()), ctx.caller().userId(),
      ctx.user().orgId());
    return events.currentSequence(tx, KEY_AGGREGATE, key.id()).compose(seq -> events.append(tx, event, seq)).mapEmpty();
  }
}
