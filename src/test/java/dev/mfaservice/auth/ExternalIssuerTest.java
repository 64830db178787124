package dev.mfaservice.auth;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service behind a real OIDC issuer: a local HTTP server with a discovery document, a JWKS
 * that can rotate, and an RFC 7662 introspection endpoint. The rotation test runs first: an
 * unknown kid may refresh the keys only once per 30 s, and later tests send unknown kids.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalIssuerTest {
  static Vertx vertx;
  static HttpServer idp;
  static String issuer;
  static final List<JsonObject> published = new CopyOnWriteArrayList<>();
  static final AtomicInteger jwksFetches = new AtomicInteger();
  static final AtomicReference<Integer> introspectionStatus = new AtomicReference<>(200);
  static JsonObject keyA;
  static JsonObject keyB;
  static TestServer server;
  static String org = "org-ext";

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    keyA = newKey();
    keyB = newKey();
    published.add(publicPart(keyA));
    Router router = Router.router(vertx);
    router.get("/.well-known/openid-configuration").handler(ctx -> ctx.json(new JsonObject()
      .put("issuer", issuer).put("jwks_uri", issuer + "/jwks").put("introspection_endpoint", issuer + "/introspect")));
    router.get("/jwks").handler(ctx -> {
      jwksFetches.incrementAndGet();
      ctx.json(new JsonObject().put("keys", new JsonArray(List.copyOf(published))));
    });
    router.post("/introspect").handler(BodyHandler.create()).handler(ctx -> {
      String expected = "Basic " + Base64.getEncoder().encodeToString("mfa:client-secret".getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(ctx.request().getHeader("Authorization"))) {
        ctx.response().setStatusCode(401).end();
        return;
      }
      if (introspectionStatus.get() != 200) {
        ctx.response().setStatusCode(introspectionStatus.get()).end();
        return;
      }
      String token = ctx.request().getFormAttribute("token");
      ctx.json(token.equals("opaque-active")
        ? claims("admin", "IAM_OWNER", 300).put("active", true)
        : new JsonObject().put("active", false));
    });
    idp = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    issuer = "http://127.0.0.1:" + idp.actualPort();
    server = TestServer.start(ExternalIssuerTest.class, Map.of("MFA_AUTH_ISSUER", issuer,
      "MFA_AUTH_CLIENT_ID", "mfa", "MFA_AUTH_CLIENT_SECRET", "client-secret", "MFA_WEBAUTHN_RP_IDS", "localhost",
      "MFA_WEBAUTHN_ORIGINS", "https://localhost"));
  }

  @AfterAll
  static void stop() {
    server.close();
    vertx.close();
  }

  @Test
  void tokensSignedByTheIssuersKeyAreAccepted() {
    Reply created = server.http.post("/v2/organizations", sign(keyA, claims("admin", "IAM_OWNER", 300)),
      new JsonObject().put("name", "External").put("organizationId", org));
    assertEquals(201, created.status(), created.text());
  }

  @Test
  @Order(1)
  void aRotatedKeyIsFetchedOnceOnItsFirstUnknownKid() {
    String token = sign(keyB, claims("admin", "IAM_OWNER", 300));
    published.add(publicPart(keyB));
    int before = jwksFetches.get();
    Reply first = server.http.get("/v2/users/nobody", token);
    assertError(first, 404, 5, "COMMAND-SqyJz");
    assertEquals(before + 1, jwksFetches.get(), "one refresh for the new kid");
    assertError(server.http.get("/v2/users/nobody", token), 404, 5, "COMMAND-SqyJz");
    assertEquals(before + 1, jwksFetches.get(), "no refresh once the key is known");
  }

  @Test
  void tokensOfOtherIssuersOrKeysAndTheDevIssuerAreRefused() throws Exception {
    JsonObject foreign = claims("admin", "IAM_OWNER", 300).put("iss", "https://other.test");
    assertError(server.http.get("/v2/users/x", sign(keyA, foreign)), 401, 16, "AUTH-7fs1e");
    JsonObject stranger = newKey();
    assertError(server.http.get("/v2/users/x", sign(stranger, claims("admin", "IAM_OWNER", 300))), 401, 16, "AUTH-7fs1e");
    JsonObject dev = claims("admin", "IAM_OWNER", 300).put("iss", "mfa-service-dev");
    assertError(server.http.get("/v2/users/x", sign(stranger, dev)), 401, 16, "AUTH-7fs1e");
  }

  @Test
  void opaqueTokensAreIntrospected() {
    assertError(server.http.get("/v2/users/x", "opaque-active"), 404, 5, "COMMAND-SqyJz");
    assertError(server.http.get("/v2/users/x", "opaque-revoked"), 401, 16, "AUTH-7fs1e");
    introspectionStatus.set(500);
    try {
      assertError(server.http.get("/v2/users/x", "opaque-unknown-while-down"), 503, 14, "AUTH-introspection");
    } finally {
      introspectionStatus.set(200);
    }
  }

  private static JsonObject claims(String sub, String role, long ttl) {
    return Tokens.claims(issuer, "mfa-service", sub, org, role, ttl);
  }

  private static String sign(JsonObject key, JsonObject claims) {
    return Tokens.sign(vertx, key, claims);
  }

  private static JsonObject newKey() throws Exception {
    var dir = Files.createTempDirectory("idp-key");
    DevIssuer.loadOrCreate(dir, new SecureRandom());
    return Tokens.devKey(dir);
  }

  private static JsonObject publicPart(JsonObject key) {
    JsonObject pub = key.copy();
    pub.remove("d");
    return pub;
  }
}
