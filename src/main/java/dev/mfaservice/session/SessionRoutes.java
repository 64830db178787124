package dev.mfaservice.session;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.store.Event;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;
import java.time.Instant;

/** HTTP handlers of Session v2 (CreateSession, SetSession, GetSession, DeleteSession). */
public final class SessionRoutes {
  private final SessionCommands commands;

  public SessionRoutes(SessionCommands commands) {
    this.commands = commands;
  }

  public void mount(ApiRouter api) {
    api.on("SessionService_CreateSession", this::create)
      .on("SessionService_SetSession", this::update)
      .on("SessionService_GetSession", this::get)
      .on("SessionService_DeleteSession", this::delete);
  }

  private void create(ApiCall ctx) {
    ctx.created(commands.create(ctx.caller(), request(ctx.request().body())), changed -> {
      JsonObject json = changedJson(changed).put("sessionId", changed.session().id());
      return json;
    });
  }

  private void update(ApiCall ctx) {
    ctx.ok(commands.update(ctx.caller(), sessionId(ctx), request(ctx.request().body())),
      SessionRoutes::changedJson);
  }

  private void get(ApiCall ctx) {
    ctx.ok(commands.readable(ctx.caller(), sessionId(ctx), ctx.request().parameter("sessionToken")),
      session -> new JsonObject().put("session", sessionJson(session)));
  }

  private void delete(ApiCall ctx) {
    JsonObject body = ctx.request().body();
    String token = body.getString("sessionToken", ctx.request().parameter("sessionToken"));
    ctx.okDetails(commands.delete(ctx.caller(), sessionId(ctx), token).map(Event::changed));
  }

  private static SessionRequest request(JsonObject body) {
    JsonObject checks = body.getJsonObject("checks", new JsonObject()).copy();
    JsonObject user = (JsonObject) checks.remove("user");
    user = user == null ? new JsonObject() : user;
    String lifetime = body.getString("lifetime");
    return new SessionRequest(user.getString("userId"), user.getString("loginName"), checks,
      body.getJsonObject("challenges", new JsonObject()),
      lifetime == null ? null : Long.valueOf(lifetime.replace("s", "")), body.getString("sessionToken"),
      body.getJsonObject("userAgent", new JsonObject()).getString("ip"));
  }

  private static JsonObject changedJson(SessionCommands.Changed changed) {
    JsonObject json = new JsonObject().put("details", WireJson.details(changed.event().changed()))
      .put("sessionToken", changed.sessionToken());
    if (!changed.challenges().isEmpty()) {
      json.put("challenges", changed.challenges());
    }
    return json;
  }

  private static JsonObject sessionJson(Session s) {
    JsonObject factors = new JsonObject();
    if (s.userVerifiedAt() != null) {
      factors.put("user", new JsonObject().put("verifiedAt", time(s.userVerifiedAt())).put("id", s.userId())
        .put("loginName", s.loginName()).put("organizationId", s.orgId()));
    }
    factors.mergeIn(s.factors());
    JsonObject json = new JsonObject().put("id", s.id()).put("creationDate", time(s.createdAt()))
      .put("changeDate", time(s.changedAt())).put("sequence", Long.toString(s.sequence())).put("factors", factors);
    return WireJson.putIfSet(json, "expirationDate", s.expiresAt() == null ? null : time(s.expiresAt()));
  }

  private static String time(Instant at) {
    return WireJson.timestamp(at);
  }

  private static String sessionId(ApiCall ctx) {
    return ctx.request().parameter("sessionId");
  }
}
