package dev.mfaservice.org;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.Replies;
import dev.mfaservice.http.ValidRequest;
import dev.mfaservice.http.WireJson;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;

/** HTTP handlers of the organization calls. */
public final class OrgRoutes {
  private final OrgCommands commands;

  public OrgRoutes(OrgCommands commands) {
    this.commands = commands;
  }

  public void mount(ApiRouter api) {
    api.on("OrganizationService_AddOrganization", this::addOrganization);
  }

  private void addOrganization(ApiCall ctx) {
    JsonObject body = ValidRequest.of(ctx).body();
    Replies.created(ctx, commands.addOrganization(Replies.caller(ctx), body.getString("name"),
        body.getString("organizationId")),
      added -> new JsonObject().put("organizationId", added.orgId()).put("details", WireJson.details(added.details())));
  }
}
