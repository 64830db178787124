package dev.mfaservice.http;

import dev.mfaservice.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** What a thin handler needs: the caller, the validated request, and writing the outcome of one command or query. */
public final class Replies {
  private Replies() {
  }

  public static Caller caller(ApiCall call) {
    return call.caller();
  }

  public static ValidRequest request(ApiCall call) {
    return call.request();
  }

  /** 200 with the mapped result, or the failure to the error handler. */
  public static <T> void ok(ApiCall ctx, Future<T> result, Function<T, JsonObject> toJson) {
    reply(ctx, 200, result, toJson);
  }

  /** 201, for the creating calls ZITADEL answers with Created. */
  public static <T> void created(ApiCall ctx, Future<T> result, Function<T, JsonObject> toJson) {
    reply(ctx, 201, result, toJson);
  }

  private static <T> void reply(ApiCall ctx, int status, Future<T> result, Function<T, JsonObject> toJson) {
    result.map(toJson).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
      } else {
        ctx.complete(status, done.result());
      }
    });
  }
}
