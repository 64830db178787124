package dev.mfaservice.twilioverify;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** One operation of the Twilio contract on the router: authenticate, read the input as the contract says, run. */
final class VerifyOperation implements Handler<RoutingContext> {
  private final FormContract input;
  private final VerifyCall.Handler handler;
  private final VerifyAccounts accounts;
  private final Optional<String> publicUrl;

  VerifyOperation(FormContract input, VerifyCall.Handler handler, VerifyAccounts accounts, Optional<String> publicUrl) {
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
    String serviceSid = ctx.pathParam("ServiceSid");
    String sid = ctx.pathParam("Sid");
    if (serviceSid != null && !Sids.isSid(Sids.SERVICE, serviceSid)
        || sid != null && !Sids.isSid(Sids.ofPath(ctx.currentRoute().getPath()), sid)) {
      throw TwilioError.notFound(ctx.request().path());
    }
    JsonObject typed = input.read(ctx.queryParams(), ctx.request().formAttributes());
    if (ctx.pathParam("Identity") != null) {
      typed.put("Identity", ctx.pathParam("Identity"));  // an Entity's resources: the Identity of the path
    }
    return new VerifyCall(account, typed, serviceSid, sid, VerifyApi.baseUrl(ctx, publicUrl));
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
