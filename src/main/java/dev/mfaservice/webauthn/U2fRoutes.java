package dev.mfaservice.webauthn;

import dev.mfaservice.http.ApiCall;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.StrictJson;
import dev.mfaservice.http.WireJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * HTTP handlers of the security-key calls: user v2 (RegisterU2F, VerifyU2FRegistration, RemoveU2F) on the user in
 * the path, auth v1 (AddMyAuthFactorU2F, VerifyMyAuthFactorU2F, RemoveMyAuthFactorU2F) on the token's user, where
 * ZITADEL carries the options and the credential as JSON inside {@code bytes} fields (base64 on the wire).
 */
public final class U2fRoutes {
  private final U2fCommands commands;

  public U2fRoutes(U2fCommands commands) {
    this.commands = commands;
  }

  public void mount(ApiRouter api) {
    api.on("UserService_RegisterU2F", this::register)
      .on("UserService_VerifyU2FRegistration", this::verify)
      .on("UserService_RemoveU2F", this::remove)
      .on("AuthService_AddMyAuthFactorU2F", this::addMine)
      .on("AuthService_VerifyMyAuthFactorU2F", this::verifyMine)
      .on("AuthService_RemoveMyAuthFactorU2F", this::removeMine);
  }

  private void register(ApiCall ctx) {
    ctx.ok(commands.register(ctx.caller(), userId(ctx), ctx.request().body().getString("domain")),
      r -> new JsonObject().put("details", WireJson.details(r.details())).put("u2fId", r.keyId())
        .put("publicKeyCredentialCreationOptions", r.options()));
  }

  private void verify(ApiCall ctx) {
    JsonObject body = ctx.request().body();
    ctx.okDetails(commands.verify(ctx.caller(), userId(ctx), ctx.request().parameter("u2fId"),
      body.getJsonObject("publicKeyCredential"), body.getString("tokenName")));
  }

  private void remove(ApiCall ctx) {
    ctx.okDetails(commands.remove(ctx.caller(), userId(ctx), ctx.request().parameter("u2fId")));
  }

  private void addMine(ApiCall ctx) {
    ctx.ok(commands.register(ctx.caller(), ctx.caller().userId(), null), r -> new JsonObject()
      .put("key", new JsonObject().put("publicKey", Base64.getEncoder().encodeToString(r.options().toBuffer().getBytes())))
      .put("details", WireJson.details(r.details())));
  }

  private void verifyMine(ApiCall ctx) {
    JsonObject verification = ctx.request().body().getJsonObject("verification", new JsonObject());
    ctx.okDetails(credential(verification.getString("publicKeyCredential"))
      .compose(credential -> commands.verify(ctx.caller(), ctx.caller().userId(), null, credential,
        verification.getString("tokenName"))));
  }

  private void removeMine(ApiCall ctx) {
    ctx.okDetails(commands.remove(ctx.caller(), ctx.caller().userId(), ctx.request().parameter("tokenId")));
  }

  /** auth v1's {@code bytes publicKeyCredential}: base64 of the credential's JSON. */
  private static Future<JsonObject> credential(String base64) {
    try {
      byte[] json = Base64.getDecoder().decode(base64 == null ? "" : base64);
      return Future.succeededFuture(StrictJson.parseObject(Buffer.buffer(json)));
    } catch (RuntimeException e) {
      return Future.failedFuture(WebAuthnErrors.malformed());
    }
  }

  private static String userId(ApiCall ctx) {
    return ctx.request().parameter("userId");
  }
}
