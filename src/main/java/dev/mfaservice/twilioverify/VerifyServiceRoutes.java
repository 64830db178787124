package dev.mfaservice.twilioverify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The Services operations of the Twilio contract, by its operationIds. */
final class VerifyServiceRoutes {
  private final VerifyServiceCommands commands;

  VerifyServiceRoutes(VerifyServiceCommands commands) {
    this.commands = commands;
  }

  Map<String, VerifyCall.Handler> handlers() {
    return Map.of("CreateService", this::create, "FetchService", this::fetch, "ListService", this::list,
      "UpdateService", this::update, "DeleteService", this::delete);
  }

  private Future<VerifyCall.Reply> create(VerifyCall call) {
    return commands.create(call.account(), call.input()).map(s -> new VerifyCall.Reply(201, ServiceJson.of(s, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> fetch(VerifyCall call) {
    return commands.fetch(call.account(), call.sid()).map(s -> new VerifyCall.Reply(200, ServiceJson.of(s, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> list(VerifyCall call) {
    ListPage page = ListPage.of(call.input());
    return commands.page(call.account(), page.size() + 1, page.offset())
      .map(rows -> new VerifyCall.Reply(200, page.answer("services",
        rows.stream().map(s -> ServiceJson.of(s, call.baseUrl())).toList(), call.baseUrl() + "/v2/Services")));
  }

  private Future<VerifyCall.Reply> update(VerifyCall call) {
    return commands.update(call.account(), call.sid(), call.input())
      .map(s -> new VerifyCall.Reply(200, ServiceJson.of(s, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> delete(VerifyCall call) {
    return commands.delete(call.account(), call.sid()).map(v -> new VerifyCall.Reply(204, (JsonObject) null));
  }
}
