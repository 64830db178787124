package dev.mfaservice.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Signs arbitrary claims with a JWK, to make the tokens a test needs: expired, foreign, tampered. */
public final class Tokens {
  private Tokens() {
  }

  public static JsonObject devKey(Path dataDir) {
    try {
      return new JsonObject(Files.readString(dataDir.resolve("dev-issuer.jwk.json"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sign(Vertx vertx, JsonObject jwk, JsonObject claims) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(jwk));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(jwk.getString("alg"))
      .setHeader(new JsonObject().put("kid", jwk.getString("kid"))));
  }

  /** Claims as the dev issuer writes them, expiring in {@code ttlSeconds} (negative = already expired). */
  public static JsonObject claims(String issuer, String audience, String sub, String org, String role, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", issuer).put("aud", audience).put("sub", sub).put("iat", now - 5)
      .put("exp", now + ttlSeconds)
      .put("urn:zitadel:iam:user:resourceowner:id", org)
      .put("urn:zitadel:iam:org:project:roles", new JsonObject().put(role, new JsonObject().put(org, org)));
  }

  /** The same token with another payload and the old signature. */
  public static String withPayload(String token, JsonObject payload) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + b64(payload.encode()) + "." + parts[2];
  }

  public static String unsigned(JsonObject payload) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(payload.encode()) + ".";
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
