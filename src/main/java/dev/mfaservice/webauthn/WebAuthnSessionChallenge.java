package dev.mfaservice.webauthn;

import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.FactorContext;
import dev.mfaservice.session.SessionChallenge;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * {@code challenges.webAuthN {domain, userVerificationRequirement}}: a sign-in challenge for this session, stored
 * server-side, answered with {@code publicKeyCredentialRequestOptions} listing the user's ready keys.
 */
public final class WebAuthnSessionChallenge implements SessionChallenge {
  private final WebAuthnRepository keys;
  private final WebAuthnChallenges challenges;

  WebAuthnSessionChallenge(WebAuthnRepository keys, WebAuthnChallenges challenges) {
    this.keys = keys;
    this.challenges = challenges;
  }

  @Override
  public SecondFactorType type() {
    return SecondFactorType.SECOND_FACTOR_TYPE_U2F;
  }

  @Override
  public Future<Issued> issue(SqlConnection tx, FactorContext ctx, JsonObject request) {
    String rpId = challenges.rpId(request.getString("domain"));
    String userId = ctx.user().id();
    // the keys' read and the challenge's insert in one round trip; with no key the call fails and the transaction,
    // the insert with it, is rolled back
    Future<List<WebAuthnKey>> readyKeys = keys.readyKeysOf(tx, userId);
    Future<WebAuthnChallenge> issued = challenges.issue(tx, WebAuthnChallenge.Purpose.LOGIN, ctx.session().id(), userId,
      rpId, verification(request.getString("userVerificationRequirement")));
    return readyKeys.compose(ready -> ready.isEmpty() ? Future.failedFuture(WebAuthnErrors.noKeys())
      : issued.map(challenge -> Issued.of(new JsonObject().put("publicKeyCredentialRequestOptions",
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
