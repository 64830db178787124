package dev.mfaservice.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The Connect protocol, unary calls: {@code POST /<package>.<Service>/<Method>} with
 * {@code application/json} or {@code application/proto}. What ZITADEL's generated SDKs and
 * {@code @zitadel/client}'s Connect transport speak. No Vert.x module writes Connect, so this
 * does: the body (bounded), the codec, and Connect's JSON error with the HTTP status of its code.
 */
final class ConnectEndpoint implements Handler<HttpServerRequest> {
  private static final String JSON = "application/json";
  private static final String PROTO = "application/proto";
  private final RpcCatalog catalog;
  private final RpcBridge bridge;
  private final int bodyLimit;

  ConnectEndpoint(RpcCatalog catalog, RpcBridge bridge, int bodyLimit) {
    this.catalog = catalog;
    this.bridge = bridge;
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void handle(HttpServerRequest request) {
    RpcMethod method = catalog.byPath(request.path());
    RpcLog log = RpcLog.start(request.getHeader("x-request-id"), "connect", request.path());
    HttpServerResponse response = request.response().putHeader("x-request-id", log.requestId())
      .putHeader("cache-control", "no-store");
    if (method == null) {
      fail(request, log, new ApiError(GrpcCode.UNIMPLEMENTED, 404, "API-notFound", "no such procedure: " + request.path(), List.of()));
      return;
    }
    if (request.method() != HttpMethod.POST) {
      response.putHeader("allow", "POST");
      fail(request, log, new ApiError(GrpcCode.UNIMPLEMENTED, 405, "API-method", "Connect calls are POST", List.of()));
      return;
    }
    String type = mediaType(request.getHeader("content-type"));
    if (!type.equals(JSON) && !type.equals(PROTO)) {
      response.putHeader("accept-post", JSON + ", " + PROTO);
      fail(request, log, new ApiError(GrpcCode.INVALID_ARGUMENT, 415, "API-contentType",
        "a Connect call is sent as application/json or application/proto", List.of()));
      return;
    }
    String encoding = request.getHeader("content-encoding");
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      response.putHeader("accept-encoding", "identity");
      fail(request, log, new ApiError(GrpcCode.UNIMPLEMENTED, "API-encoding", "content-encoding " + encoding + " is not supported"));
      return;
    }
    readBody(request).compose(body -> bridge.call(method, decode(body, type, method), request::getHeader))
      .onComplete(done -> {
        if (done.failed()) {
          fail(request, log, done.cause());
          return;
        }
        response.setStatusCode(200).putHeader("content-type", type).end(encode(done.result(), type));
        log.end("OK");
      });
  }

  private Future<Buffer> readBody(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 12
      && Long.parseLong(length) > bodyLimit) {
      return Future.failedFuture(tooLarge());
    }
    Buffer body = Buffer.buffer();
    io.vertx.core.Promise<Buffer> read = io.vertx.core.Promise.promise();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > bodyLimit) {
        read.tryFail(tooLarge());
        request.pause();
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(end -> read.tryComplete(body));
    request.exceptionHandler(read::tryFail);
    return read.future();
  }

  private ApiError tooLarge() {
    return new ApiError(GrpcCode.RESOURCE_EXHAUSTED, "API-tooLarge", "the request message is larger than " + bodyLimit + " bytes");
  }

  private static Message decode(Buffer body, String type, RpcMethod method) {
    Message.Builder message = method.request().newBuilderForType();
    try {
      if (type.equals(PROTO)) {
        message.mergeFrom(body.getBytes());
      } else {
        RpcBridge.PARSER.merge(body.length() == 0 ? "{}" : body.toString(StandardCharsets.UTF_8), message);
      }
    } catch (InvalidProtocolBufferException | RuntimeException malformed) {
      throw RpcErrors.malformed();
    }
    return message.build();
  }

  private static Buffer encode(Message message, String type) {
    if (type.equals(PROTO)) {
      return Buffer.buffer(message.toByteArray());
    }
    try {
      return Buffer.buffer(RpcBridge.PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void fail(HttpServerRequest request, RpcLog log, Throwable failure) {
    ApiError error = RpcErrors.of(failure, log.requestId(), request.path());
    int status = error.httpStatus() == 404 || error.httpStatus() == 405 || error.httpStatus() == 415
      ? error.httpStatus() : error.code().httpStatus();
    request.response().setStatusCode(status).putHeader("content-type", JSON)
      .end(RpcErrors.connectBody(error).toBuffer());
    log.end(error.code().name());
  }

  private static String mediaType(String header) {
    return header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }
}
