package dev.mfaservice.webauthn;

import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import dev.mfaservice.user.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The options a browser passes to {@code navigator.credentials.create()} / {@code .get()}, as ZITADEL answers them:
 * {@code {"publicKey": {…}}} with binary values base64url (the client turns them into ArrayBuffers).
 */
final class WebAuthnOptions {
  private WebAuthnOptions() {
  }

  /** PublicKeyCredentialCreationOptions: a second factor, so no resident key, no user verification asked. */
  static JsonObject creation(WebAuthnChallenge challenge, String rpName, User user, List<WebAuthnKey> existing,
                             int timeoutSeconds) {
    JsonArray params = new JsonArray();
    WebAuthnCeremony.ALGORITHMS.stream().map(COSEAlgorithmIdentifier::getValue)
      .forEach(alg -> params.add(new JsonObject().put("type", "public-key").put("alg", alg)));
    JsonObject publicKey = new JsonObject()
      .put("challenge", CredentialJson.encode(challenge.challenge()))
      .put("rp", new JsonObject().put("id", challenge.rpId()).put("name", rpName))
      .put("user", new JsonObject().put("id", CredentialJson.encode(user.id().getBytes(StandardCharsets.UTF_8)))
        .put("name", user.loginName()).put("displayName", displayName(user)))
      .put("pubKeyCredParams", params)
      .put("timeout", timeoutSeconds * 1000)
      .put("excludeCredentials", descriptors(existing))
      .put("authenticatorSelection", new JsonObject().put("requireResidentKey", false).put("residentKey", "discouraged")
        .put("userVerification", challenge.userVerification()))
      .put("attestation", "none");
    return new JsonObject().put("publicKey", publicKey);
  }

  /** PublicKeyCredentialRequestOptions: the user's ready keys, the relying party and the verification asked for. */
  static JsonObject request(WebAuthnChallenge challenge, List<WebAuthnKey> ready, int timeoutSeconds) {
    JsonObject publicKey = new JsonObject()
      .put("challenge", CredentialJson.encode(challenge.challenge()))
      .put("timeout", timeoutSeconds * 1000)
      .put("rpId", challenge.rpId())
      .put("allowCredentials", descriptors(ready))
      .put("userVerification", challenge.userVerification());
    return new JsonObject().put("publicKey", publicKey);
  }

  private static JsonArray descriptors(List<WebAuthnKey> keys) {
    JsonArray list = new JsonArray();
    keys.stream().filter(k -> k.credentialId() != null).forEach(k -> {
      JsonObject descriptor = new JsonObject().put("type", "public-key").put("id", CredentialJson.encode(k.credentialId()));
      if (!k.transports().isEmpty()) {
        descriptor.put("transports", new JsonArray(k.transports()));
      }
      list.add(descriptor);
    });
    return list;
  }

  private static String displayName(User user) {
    if (user.displayName() != null && !user.displayName().isBlank()) {
      return user.displayName();
    }
    String joined = ((user.givenName() == null ? "" : user.givenName()) + " "
      + (user.familyName() == null ? "" : user.familyName())).trim();
    return joined.isEmpty() ? user.loginName() : joined;
  }
}
