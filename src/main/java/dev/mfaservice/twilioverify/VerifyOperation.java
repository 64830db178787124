package dev.mfaservice.twilioverify;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One operation of the Twilio contract on the router: authenticate, read the input as the contract says, run. */
final class VerifyOperation implements Handler<RoutingContext> {
  private static final Pattern PARAMETER = Pattern.compile("(\\w+)/\\{(\\w+)}");
  private final Map<String, String> sidParameters = new LinkedHashMap<>();
  private final FormContract input;
  private final VerifyCall.Handler handler;
  private final VerifyAccounts accounts;
  private final Optional<String> publicUrl;

  VerifyOperation(String path, FormContract input, VerifyCall.Handler handler, VerifyAccounts accounts,
                  Optional<String> publicUrl) {
    Matcher parameter = PARAMETER.matcher(path);
    while (parameter.find()) {
      // the sid prefix a path parameter after each collection segment holds; another value is a resource that is not
      sidParameters.put(parameter.group(2), Sids.ofCollection(parameter.group(1)));
    }
    this.input = input;
    this.handler = handler;
    this.accounts = accounts;
    this.publicUrl = publicUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    accounts.authenticate(ctx.request().getHeader("Authorization"))
      .compose(account -> handler.handle(call(ctx, account)))
      .onSuccess(reply -> write(ctx, reply))
      .onFailure(ctx::fail);
  }

  private VerifyCall call(RoutingContext ctx, TwilioCredential account) {
    Map<String, String> path = new LinkedHashMap<>();
    sidParameters.forEach((name, prefix) -> {
      String value = ctx.pathParam(name);
      if (prefix != null && !Sids.isSid(prefix, value)) {
        throw TwilioError.notFound(ctx.request().path());
      }
      path.put(name, value);
    });
    JsonObject typed = input.read(ctx.queryParams(), ctx.request().formAttributes());
    if (path.get("Identity") != null) {
      typed.put("Identity", path.get("Identity"));  // an Entity's resources: the Identity of the path
    }
    return new VerifyCall(account, typed, path.get("ServiceSid"), path.get("Sid"), VerifyApi.baseUrl(ctx, publicUrl), path);
  }

  private static void write(RoutingContext ctx, VerifyCall.Reply reply) {
    ctx.response().setStatusCode(reply.status());
    if (reply.body() == null) {
      ctx.response().end();
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(reply.body().toBuffer());
    }
  }
}
