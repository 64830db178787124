package dev.mfaservice.org;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.errors.ApiError;
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
    JsonObject body = ctx.request().body();
    String orgId = body.getString("orgId");
    String legacy = body.getString("organizationId");
    if (orgId != null && legacy != null && !orgId.equals(legacy)) {
      throw ApiError.invalidArgument("ORG-idTwice", "orgId and organizationId name the same field; they differ");
    }
    ctx.created(commands.addOrganization(ctx.caller(), body.getString("name"),
        orgId != null ? orgId : legacy),
      added -> new JsonObject().put("organizationId", added.orgId()).put("details", WireJson.details(added.details())));
  }
}
