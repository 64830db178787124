package dev.mfaservice.auth;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.crypto.SecretFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * The development issuer: an ES256 key kept in the data dir (mode 0600), created on first use.
 * The service trusts its tokens only when no external issuer is configured (SEC A8); the
 * {@code token} command mints them for local use.
 */
public final class DevIssuer implements KeySource {
  static final String KEY_FILE = "dev-issuer.jwk.json";
  private final JsonObject privateJwk;

  private DevIssuer(JsonObject privateJwk) {
    this.privateJwk = privateJwk;
  }

  /** Loads the key from {@code dataDir}, creating it there first if it does not exist. Blocking. */
  public static DevIssuer loadOrCreate(Path dataDir, SecureRandom random) {
    Path file = dataDir.resolve(KEY_FILE);
    try {
      return new DevIssuer(new JsonObject(SecretFiles.readOrCreate(file, () -> {
        try {
          return generate(random).encodePrettily();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      })));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot read or create the dev issuer key " + file + ": " + e.getMessage());
    }
  }

  @Override
  public Future<List<JsonObject>> keys() {
    JsonObject publicJwk = privateJwk.copy();
    publicJwk.remove("d");
    return Future.succeededFuture(List.of(publicJwk));
  }

  /** A signed access token for {@code userId} in {@code orgId}, holding {@code roles} in that org. */
  public String mint(Vertx vertx, AuthSettings auth, String userId, String orgId, Collection<String> roles, long ttlSeconds) {
    JsonObject grants = new JsonObject();
    roles.forEach(role -> grants.put(role, new JsonObject().put(orgId, orgId)));
    JsonObject claims = new JsonObject()
      .put("sub", userId)
      .put(auth.orgClaim(), orgId)
      .put(auth.rolesClaim(), grants);
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(privateJwk));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("ES256")
      .setIssuer(auth.devIssuerName()).setAudience(List.of(auth.audience()))
      .setExpiresInSeconds((int) ttlSeconds).setHeader(new JsonObject().put("kid", privateJwk.getString("kid"))));
  }

  private static JsonObject generate(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    KeyPair pair = generator.generateKeyPair();
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
    byte[] kid = new byte[9];
    random.nextBytes(kid);
    return new JsonObject()
      .put("kty", "EC").put("crv", "P-256").put("alg", "ES256").put("use", "sig")
      .put("kid", "dev-" + Base64.getUrlEncoder().withoutPadding().encodeToString(kid))
      .put("x", coordinate(pub.getW().getAffineX()))
      .put("y", coordinate(pub.getW().getAffineY()))
      .put("d", coordinate(priv.getS()));
  }

  /** A P-256 field element as 32 unsigned big-endian bytes, base64url. */
  private static String coordinate(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] fixed = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }
}
