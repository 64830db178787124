package dev.mfaservice.webauthn;

import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionChallenge;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * {@code challenges.webAuthN {domain, userVerificationRequirement}}: a sign-in challenge for this session, stored
 * server-side, answered with {@code publicKeyCredentialRequestOptions} listing the user's ready keys.
 */
public final class WebAuthnSessionChallenge implements SessionChallenge {
  private final WebAuthnSignInStore store;
  private final WebAuthnChallenges challenges;

  WebAuthnSessionChallenge(WebAuthnSignInStore store, WebAuthnChallenges challenges) {
    this.store = store;
    this.challenges = challenges;
  }

  @Override
  public SecondFactorType type() {
    return SecondFactorType.SECOND_FACTOR_TYPE_U2F;
  }

  @Override
  public Future<Issued> issue(SqlConnection tx, FactorContext ctx, JsonObject request) {
    String rpId = challenges.rpId(request.getString("domain"));
    WebAuthnChallenge challenge = challenges.fresh(WebAuthnChallenge.Purpose.LOGIN, ctx.session().id(), ctx.user().id(),
      rpId, verification(request.getString("userVerificationRequirement")));
    // the challenge stored and the user's ready keys read in one statement; with no key the call fails and the
    // transaction, the challenge with it, is rolled back
    return store.issue(tx, challenge).compose(ready -> ready.isEmpty() ? Future.failedFuture(WebAuthnErrors.noKeys())
      : Future.succeededFuture(Issued.of(new JsonObject().put("publicKeyCredentialRequestOptions",
          WebAuthnOptions.request(challenge, ready, challenges.timeoutSeconds())))));
  }

  /** ZITADEL's enum to WebAuthn's words; none named = preferred (what ZITADEL's library then asks for). */
  static String verification(String requirement) {
    if (requirement == null) {
      return "preferred";
    }
    return switch (requirement) {
      case "USER_VERIFICATION_REQUIREMENT_REQUIRED" -> "required";
      case "USER_VERIFICATION_REQUIREMENT_DISCOURAGED" -> "discouraged";
      default -> "preferred";
    };
  }
}
