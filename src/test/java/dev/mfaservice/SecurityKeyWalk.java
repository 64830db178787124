package dev.mfaservice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.SoftAuthenticator;
import dev.mfaservice.support.SoftAuthenticator.Alg;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The security-key operations of the walk (ApiWalk's companion): each answers once 2xx and once 4xx. */
final class SecurityKeyWalk {
  private final TestServer server;
  private final String admin;
  private final UnaryOperator<Reply> seen;
  private final String origin;

  SecurityKeyWalk(TestServer server, String admin, UnaryOperator<Reply> seen) {
    this.server = server;
    this.admin = admin;
    this.seen = seen;
    this.origin = "http://localhost:" + server.config.http().port();
  }

  private Reply expect(int status, String method, String path, String token, JsonObject body) {
    Reply r = seen.apply(server.http.call(method, path, token, body, Map.of()));
    assertEquals(status, r.status(), method + " " + path + ": " + r.text());
    return r;
  }

  /** The walk's org dropped U2F from its policy: a key of its user is refused until it is allowed again. */
  void keys(String org, String user) {
    String base = "/v2/users/" + user;
    expect(400, "POST", base + "/u2f", admin, null);
    Reply allowed = seen.apply(server.http.call("POST", "/management/v1/policies/login/second_factors", admin,
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_U2F"), Map.of("x-zitadel-orgid", org)));
    assertEquals(200, allowed.status(), allowed.text());
    JsonObject started = expect(200, "POST", base + "/u2f", admin, new JsonObject().put("domain", "localhost")).json();
    String keyPath = base + "/u2f/" + started.getString("u2fId");
    SoftAuthenticator key = new SoftAuthenticator(Alg.ES256);
    JsonObject credential = key.create(started.getJsonObject("publicKeyCredentialCreationOptions"), origin);
    expect(400, "POST", keyPath, admin, new JsonObject().put("publicKeyCredential", new JsonObject().put("type", "x"))
      .put("tokenName", "walk key"));
    expect(200, "POST", keyPath, admin, new JsonObject().put("publicKeyCredential", credential).put("tokenName", "walk key"));
    expect(200, "POST", base + "/authentication_factors/_search", admin, null);
    expect(404, "POST", "/v2/users/404404/authentication_factors/_search", admin, null);
    JsonObject session = expect(201, "POST", "/v2/sessions", admin, new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", user)))
      .put("challenges", new JsonObject().put("webAuthN", new JsonObject().put("domain", "localhost")))).json();
    JsonObject options = session.getJsonObject("challenges").getJsonObject("webAuthN")
      .getJsonObject("publicKeyCredentialRequestOptions");
    expect(200, "PATCH", "/v2/sessions/" + session.getString("sessionId"), admin, new JsonObject().put("checks",
      new JsonObject().put("webAuthN", new JsonObject().put("credentialAssertionData", key.get(options, origin)))));
    expect(200, "GET", "/v2/sessions/" + session.getString("sessionId"), admin, null);
    expect(200, "DELETE", keyPath, admin, null);
    expect(404, "DELETE", keyPath, admin, null);
    mine(org);
  }

  private void mine(String org) {
    JsonObject me = expect(201, "POST", "/v2/users/human", admin, new JsonObject()
      .put("organization", new JsonObject().put("orgId", org)).put("username", "key-walker")
      .put("profile", new JsonObject().put("givenName", "Key").put("familyName", "Walker"))).json();
    String token = server.token(me.getString("userId"), org);
    String mine = "/auth/v1/users/me/auth_factors/u2f";
    String options = expect(200, "POST", mine, token, null).json().getJsonObject("key").getString("publicKey");
    expect(401, "POST", mine, null, null);
    JsonObject credential = new SoftAuthenticator(Alg.EdDSA).create(new JsonObject(new String(
      Base64.getDecoder().decode(options), StandardCharsets.UTF_8)), origin);
    expect(400, "POST", mine + "/_verify", token, new JsonObject().put("verification", new JsonObject()
      .put("publicKeyCredential", "e30=").put("tokenName", "mine")));
    expect(200, "POST", mine + "/_verify", token, new JsonObject().put("verification", new JsonObject()
      .put("publicKeyCredential", Base64.getEncoder().encodeToString(credential.encode().getBytes(StandardCharsets.UTF_8)))
      .put("tokenName", "mine")));
    String id = expect(200, "POST", "/auth/v1/users/me/auth_factors/_search", token, null).json().getJsonArray("result")
      .getJsonObject(0).getJsonObject("u2f").getString("id");
    expect(200, "DELETE", mine + "/" + id, token, null);
    expect(404, "DELETE", mine + "/" + id, token, null);
  }
}
