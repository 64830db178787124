package dev.mfaservice.webauthn;

import com.webauthn4j.data.AuthenticationData;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionCheck;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.user.UserChanges;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.List;

/**
 * {@code checks.webAuthN {credentialAssertionData}}: the assertion answering this session's open challenge, made by
 * a ready key of the session's user. Records {@code userVerified}; a refusal is counted like a wrong code and
 * leaves the challenge open. A counter that did not grow is refused as a possible clone and recorded on the key.
 */
public final class WebAuthnSessionCheck implements SessionCheck {
  static final String KEY_AGGREGATE = "webauthn_key";
  private final WebAuthnRepository keys;
  private final WebAuthnChallenges challenges;
  private final WebAuthnCeremony ceremony;
  private final UserChanges changes;
  private final EventStore events;
  private final Clock clock;

  WebAuthnSessionCheck(WebAuthnRepository keys, WebAuthnChallenges challenges, WebAuthnCeremony ceremony,
                       UserChanges changes, EventStore events, Clock clock) {
    this.keys = keys;
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
    // the challenge (locked) and the user's keys go out together, one round trip: the keys' read runs once the
    // challenge's lock is held and takes none, so the locks are taken in the same order as before
    Future<WebAuthnChallenge> open = challenges.open(tx, WebAuthnChallenge.Purpose.LOGIN, ctx.session().id(),
      ctx.user().id(), WebAuthnErrors::noChallenge);
    Future<List<WebAuthnKey>> ready = keys.readyKeysOf(tx, ctx.user().id());
    return open.compose(challenge -> ready.compose(keysReady -> asserted(tx, ctx, challenge, check, keysReady)))
      .recover(e -> e instanceof ApiError refused && refused.id().startsWith("WEBAUTHN-")
        ? Future.succeededFuture(Decision.refuse(refused)) : Future.failedFuture(e));
  }

  /** The assertion, by a ready key of the user, verified against the challenge; a refusal thrown is counted above. */
  private Future<Decision<JsonObject>> asserted(SqlConnection tx, FactorContext ctx, WebAuthnChallenge challenge,
                                                JsonObject check, List<WebAuthnKey> ready) {
    CredentialJson.Assertion assertion = CredentialJson.assertion(check.getJsonObject("credentialAssertionData"));
    WebAuthnKey key = SecurityKeyEnrolment.decideSignIn(ready, assertion.rawId()).orElseThrow();
    AuthenticationData data;
    try {
      data = ceremony.authenticate(assertion, challenge, key);
    } catch (ApiError refused) {
      return "WEBAUTHN-counter".equals(refused.id()) ? suspectClone(tx, ctx, key).map(v -> Decision.refuse(refused))
        : Future.succeededFuture(Decision.refuse(refused));
    }
    JsonObject proof = new JsonObject().put("userVerified", data.getAuthenticatorData().isFlagUV());
    return accepted(tx, ctx, key, challenge, data.getAuthenticatorData().getSignCount()).map(v -> Decision.accept(proof));
  }

  private Future<Void> accepted(SqlConnection tx, FactorContext ctx, WebAuthnKey key, WebAuthnChallenge challenge,
                                long signCount) {
    // the counter's update and the challenge's delete in one round trip, in this order (the key's row, then the
    // challenge's, which this transaction already holds)
    Future<Void> used = Future.all(keys.used(tx, key.id(), signCount, clock.instant()), challenges.use(tx, challenge))
      .mapEmpty();
    if (signCount == key.signCount()) {
      return used;
    }
    return used.compose(v -> changes.append(tx, ctx.caller(), ctx.user(), "user.human.u2f.token.signcount.changed",
      new JsonObject().put("webAuthNTokenId", key.id()).put("signCount", signCount))).mapEmpty();
  }

  /** On the key's own aggregate: the user's next event is the failed check the lockout records. */
  private Future<Void> suspectClone(SqlConnection tx, FactorContext ctx, WebAuthnKey key) {
    NewEvent event = new NewEvent(KEY_AGGREGATE, key.id(), "user.human.u2f.token.signcount.regressed",
      new JsonObject().put("userId", ctx.user().id()).put("storedSignCount", key.signCount()), ctx.caller().userId(),
      ctx.user().orgId());
    return events.currentSequence(tx, KEY_AGGREGATE, key.id()).compose(seq -> events.append(tx, event, seq)).mapEmpty();
  }
}
