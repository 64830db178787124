package dev.mfaservice.rpc;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * ZITADEL's resources generation ({@code zitadel.resources.user.v3alpha.ZITADELUsers}, what
 * {@code @zitadel/client/v3alpha} calls) on the same operations as the user service: the user is
 * {@code id}; {@code instance} and {@code organization} are accepted and not used (one instance,
 * and the user's own org decides, as for every other call); a user has one TOTP authenticator,
 * whose id is the user's. Replies carry the resources API's details: the resource's id, when it
 * changed, and its owner (the user's org).
 */
final class ResourcesV3alpha implements RpcAdapter {
  static final String SERVICE = "zitadel.resources.user.v3alpha.ZITADELUsers";

  @Override
  public JsonObject request(JsonObject body) {
    body.remove("instance");
    body.remove("organization");
    body.remove("totpId");
    Object user = body.remove("id");
    return user == null ? body : body.put("userId", user);
  }

  @Override
  public JsonObject reply(JsonObject reply, Map<String, String> parameters) {
    String userId = parameters.get("userId");
    String resource = reply.containsKey("otpEmailId") ? reply.getString("otpEmailId")
      : reply.containsKey("otpSmsId") ? reply.getString("otpSmsId")
      : parameters.getOrDefault("otpEmailId", parameters.getOrDefault("otpSmsId", userId));
    if (reply.containsKey("uri")) {
      reply.put("totpId", userId);
    }
    JsonObject details = reply.getJsonObject("details", new JsonObject());
    JsonObject resources = new JsonObject().put("id", resource);
    if (details.containsKey("changeDate")) {
      resources.put("changed", details.getString("changeDate"));
    }
    if (details.containsKey("resourceOwner")) {
      resources.put("owner", new JsonObject().put("type", "OWNER_TYPE_ORG").put("id", details.getString("resourceOwner")));
    }
    return reply.put("details", resources);
  }
}
