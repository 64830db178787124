package dev.mfaservice.recovery;

import dev.mfaservice.http.ApiCall;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** HTTP handlers of GenerateRecoveryCodes and RemoveRecoveryCodes (user service v2). */
public final class RecoveryCodeRoutes {
  private final RecoveryCodeCommands commands;

  public RecoveryCodeRoutes(RecoveryCodeCommands commands) {
    this.commands = commands;
  }

  public void mount(ApiRouter api) {
    api.on("UserService_GenerateRecoveryCodes", this::generate)
      .on("UserService_RemoveRecoveryCodes", this::remove);
  }

  private void generate(ApiCall ctx) {
    JsonObject body = ctx.request().body();
    Integer count = body == null ? null : body.getInteger("count");
    ctx.ok(commands.generate(ctx.caller(), ctx.request().parameter("userId"), count),
      g -> new JsonObject().put("details", WireJson.details(g.details())).put("recoveryCodes", new JsonArray(g.recoveryCodes())));
  }

  private void remove(ApiCall ctx) {
    ctx.okDetails(commands.remove(ctx.caller(), ctx.request().parameter("userId")));
  }
}
