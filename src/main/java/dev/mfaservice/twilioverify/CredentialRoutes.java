package dev.mfaservice.twilioverify;

import dev.mfaservice.http.ApiCall;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** HTTP handlers of an org's Verify API credentials (our contract, bearer tokens): add, list, remove. */
final class CredentialRoutes {
  private final CredentialCommands commands;

  CredentialRoutes(CredentialCommands commands) {
    this.commands = commands;
  }

  void mount(ApiRouter api) {
    api.on("TwilioCredentials_Add", this::add)
      .on("TwilioCredentials_List", this::list)
      .on("TwilioCredentials_Remove", this::remove);
  }

  private void add(ApiCall ctx) {
    ctx.created(commands.add(ctx.caller(), ctx.request().parameter("organizationId")),
      added -> new JsonObject().put("accountSid", added.accountSid()).put("authToken", added.authToken())
        .put("details", WireJson.details(added.details())));
  }

  private void list(ApiCall ctx) {
    ctx.ok(commands.list(ctx.caller(), ctx.request().parameter("organizationId")),
      list -> new JsonObject().put("credentials", new JsonArray(list.stream().map(c -> new JsonObject()
        .put("accountSid", c.accountSid()).put("creationDate", WireJson.timestamp(c.createdAt()))).toList())));
  }

  private void remove(ApiCall ctx) {
    ctx.okDetails(commands.remove(ctx.caller(), ctx.request().parameter("organizationId"),
      ctx.request().parameter("accountSid")));
  }
}
