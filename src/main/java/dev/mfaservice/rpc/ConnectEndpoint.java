package dev.mfaservice.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.http.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Connect protocol, unary calls: {@code POST /<package>.<Service>/<Method>} with
 * {@code application/json} or {@code application/proto}. What ZITADEL's generated SDKs and
 * {@code @zitadel/client}'s Connect transport speak. No Vert.x module writes Connect, so this
 * does: the body (bounded in size and time), the token before the message, the codec, the
 * {@code connect-timeout-ms} deadline, and Connect's JSON error with the HTTP status of its code.
 */
final class ConnectEndpoint implements Handler<HttpServerRequest> {
  private static final String JSON = "application/json";
  private static final String PROTO = "application/proto";
  /** A body that has not arrived in this time is refused (a slow sender holds no buffer for long). */
  private static final long BODY_MILLIS = 30_000;
  /** The longest deadline a client may ask for. */
  private static final long MAX_DEADLINE_MILLIS = 600_000;
  private final Vertx vertx;
  private final RpcCatalog catalog;
  private final RpcBridge bridge;
  private final int bodyLimit;

  ConnectEndpoint(Vertx vertx, RpcCatalog catalog, RpcBridge bridge, int bodyLimit) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.bridge = bridge;
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void handle(HttpServerRequest request) {
    RpcMethod method = catalog.byPath(request.path());
    RpcLog log = RpcLog.start(request.getHeader("x-request-id"), "connect", method == null ? "unknown" : method.path());
    HttpServerResponse response = request.response().putHeader("x-request-id", log.requestId())
      .putHeader("cache-control", "no-store");
    ApiError refused = refusal(request, method, response);
    if (refused != null) {
      fail(request, log, refused);
      return;
    }
    String type = mediaType(request.getHeader("content-type"));
    // The body is read from the start (nothing is lost while the token is checked), but the token
    // decides first: a caller without one learns nothing about its message.
    Future<Buffer> body = readBody(request);
    Future<Message> outcome = bridge.authenticate(method, request::getHeader, request.remoteAddress())
      .compose(caller -> body.compose(raw -> bridge.invoke(method, caller, decode(raw, type, method), request::getHeader)));
    long deadline = deadlineMillis(request.getHeader("connect-timeout-ms"));
    if (deadline > 0) {
      outcome = outcome.timeout(deadline, TimeUnit.MILLISECONDS).recover(late -> Future.failedFuture(late instanceof TimeoutException
        ? new ApiError(GrpcCode.DEADLINE_EXCEEDED, "API-deadline", "the call did not finish within connect-timeout-ms") : late));
    }
    outcome.onComplete(done -> {
      if (done.failed()) {
        fail(request, log, done.cause());
        return;
      }
      Buffer encoded;
      try {
        encoded = encode(done.result(), type);
      } catch (RuntimeException e) {
        fail(request, log, e);
        return;
      }
      if (!response.ended() && !response.closed()) {
        response.setStatusCode(200).putHeader("content-type", type).end(encoded);
      }
      log.end("OK");
    });
  }

  /** What is refused before anything is read: unknown procedure, method, media type, encoding, protocol version. */
  private static ApiError refusal(HttpServerRequest request, RpcMethod method, HttpServerResponse response) {
    if (method == null) {
      return new ApiError(GrpcCode.UNIMPLEMENTED, 404, "API-notFound", "no such procedure", List.of());
    }
    if (request.method() != HttpMethod.POST) {
      response.putHeader("allow", "POST");
      return new ApiError(GrpcCode.UNIMPLEMENTED, 405, "API-method", "Connect calls are POST", List.of());
    }
    String type = mediaType(request.getHeader("content-type"));
    if (!type.equals(JSON) && !type.equals(PROTO)) {
      response.putHeader("accept-post", JSON + ", " + PROTO);
      return new ApiError(GrpcCode.INVALID_ARGUMENT, 415, "API-contentType",
        "a Connect call is sent as application/json or application/proto", List.of());
    }
    String encoding = request.getHeader("content-encoding");
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      response.putHeader("accept-encoding", "identity");
      return new ApiError(GrpcCode.UNIMPLEMENTED, "API-encoding", "content-encoding " + encoding + " is not supported");
    }
    String version = request.getHeader("connect-protocol-version");
    if (version != null && !version.equals("1")) {
      return new ApiError(GrpcCode.INVALID_ARGUMENT, "API-connectVersion", "connect-protocol-version must be 1");
    }
    return null;
  }

  private Future<Buffer> readBody(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length != null && length.length() < 12 && length.chars().allMatch(Character::isDigit)
      && Long.parseLong(length) > bodyLimit) {
      request.pause();
      return Future.failedFuture(tooLarge());
    }
    Buffer body = Buffer.buffer();
    Promise<Buffer> read = Promise.promise();
    long timer = vertx.setTimer(BODY_MILLIS, t -> {
      request.pause();
      read.tryFail(new ApiError(GrpcCode.DEADLINE_EXCEEDED, "API-slowBody", "the request body did not arrive in time"));
    });
    request.handler(chunk -> {
      if (body.length() + chunk.length() > bodyLimit) {
        request.pause();
        read.tryFail(tooLarge());
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(end -> read.tryComplete(body));
    request.exceptionHandler(read::tryFail);
    return read.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private ApiError tooLarge() {
    return new ApiError(GrpcCode.RESOURCE_EXHAUSTED, "API-tooLarge", "the request message is larger than " + bodyLimit + " bytes");
  }

  /** connect-timeout-ms: a positive number of at most 10 digits, capped; 0 = none given. */
  private static long deadlineMillis(String header) {
    if (header == null || header.isEmpty() || header.length() > 10 || !header.chars().allMatch(Character::isDigit)) {
      return 0;
    }
    return Math.min(Long.parseLong(header), MAX_DEADLINE_MILLIS);
  }

  private static Message decode(Buffer body, String type, RpcMethod method) {
    Message.Builder message = method.request().newBuilderForType();
    try {
      if (type.equals(PROTO)) {
        message.mergeFrom(body.getBytes());
      } else if (body.length() > 0) {
        // the same strict parse as REST's (duplicate keys refused, depth limited), then proto3 JSON
        ProtoJson.merge(StrictJson.parseObject(body), message);
      }
    } catch (ApiError malformedJson) {
      throw malformedJson;
    } catch (InvalidProtocolBufferException | RuntimeException malformed) {
      throw RpcErrors.malformed();
    }
    return message.build();
  }

  private static Buffer encode(Message message, String type) {
    if (type.equals(PROTO)) {
      return Buffer.buffer(message.toByteArray());
    }
    return ProtoJson.toJson(message).toBuffer();
  }

  private static void fail(HttpServerRequest request, RpcLog log, Throwable failure) {
    ApiError error = RpcErrors.of(failure, log.requestId(), log.procedure());
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      log.end("CLOSED");
      return;
    }
    int status = error.httpStatus() == 404 || error.httpStatus() == 405 || error.httpStatus() == 415
      ? error.httpStatus() : error.code().httpStatus();
    boolean unread = !request.isEnded();
    if (unread && request.version() != HttpVersion.HTTP_2) {
      // the rest of an unread body would be taken for the next request: this connection ends here
      response.putHeader("connection", "close");
    }
    response.setStatusCode(status).putHeader("content-type", JSON).end(RpcErrors.connectBody(error).toBuffer());
    if (unread && request.version() == HttpVersion.HTTP_2) {
      response.reset(0);
    }
    log.end(error.code().name());
  }

  private static String mediaType(String header) {
    return header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }
}
