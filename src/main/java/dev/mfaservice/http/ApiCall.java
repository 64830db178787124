package dev.mfaservice.http;

import dev.mfaservice.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import dev.mfaservice.store.Details;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * One call of an operation of the contract, whatever carried it (REST, Connect, gRPC, gRPC-web):
 * who calls (null for public operations), the request that passed the contract, and the reply
 * the handler completes. Handlers see only this, so every protocol reaches the same code.
 */
public final class ApiCall {
  private final Caller caller;
  private final ValidRequest request;
  private final Promise<Reply> reply = Promise.promise();

  ApiCall(Caller caller, ValidRequest request) {
    this.caller = caller;
    this.request = request;
  }

  /** The outcome of a call: an HTTP status (200, or 201 for the creating calls) and the JSON body. */
  public record Reply(int status, JsonObject body) {
  }

  /** What an operation does with a call. */
  @FunctionalInterface
  public interface Handler {
    void handle(ApiCall call);
  }

  public Caller caller() {
    return caller;
  }

  public ValidRequest request() {
    return request;
  }

  /** 200 with the mapped result, or the failure to the error handling of the protocol. */
  public <T> void ok(Future<T> result, Function<T, JsonObject> toJson) {
    reply(200, result, toJson);
  }

  /** 201, for the creating calls ZITADEL answers with Created. */
  public <T> void created(Future<T> result, Function<T, JsonObject> toJson) {
    reply(201, result, toJson);
  }

  /** 200 with {@code {"details": …}} only, the answer of most changes. */
  public void okDetails(Future<Details> result) {
    ok(result, details -> new JsonObject().put("details", WireJson.details(details)));
  }

  private <T> void reply(int status, Future<T> result, Function<T, JsonObject> toJson) {
    result.map(toJson).onComplete(done -> {
      if (done.failed()) {
        fail(done.cause());
      } else {
        complete(status, done.result());
      }
    });
  }

  Future<Reply> reply() {
    return reply.future();
  }

  void complete(int status, JsonObject body) {
    reply.tryComplete(new Reply(status, body));
  }

  void fail(Throwable failure) {
    reply.tryFail(failure);
  }
}
