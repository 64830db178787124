package dev.mfaservice.rpc;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.ErrorBody;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads the body of a unary gRPC or gRPC-web call before Vert.x's gRPC server does, and hands it
 * on only if it is exactly one whole, uncompressed frame within the size limit. Vert.x 5.0.7 never
 * ends a call whose frame has the compressed flag without a grpc-encoding ("Handle me"), nor a
 * gRPC-web-text body that is not base64 or shorter than a frame's prefix: those calls hung until
 * the client gave up (found by RpcFuzzTest). Refusals are trailers-only answers, as Vert.x writes.
 */
final class UnaryGrpcBody {
  /** A body that has not arrived in this time is refused, as Connect's. */
  private static final long BODY_MILLIS = 30_000;
  private final Vertx vertx;
  private final int maxMessageBytes;

  UnaryGrpcBody(Vertx vertx, int maxMessageBytes) {
    this.vertx = vertx;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Reads and checks the body, then gives {@code grpc} the request with that body, or answers the refusal itself. */
  void handle(HttpServerRequest request, Handler<HttpServerRequest> grpc) {
    boolean text = mediaType(request).startsWith("application/grpc-web-text");
    int max = text ? (maxMessageBytes + 5 + 2) / 3 * 4 + 4 : maxMessageBytes + 5;
    Buffer body = Buffer.buffer();
    long timer = vertx.setTimer(BODY_MILLIS, t -> refuse(request, new ApiError(GrpcCode.DEADLINE_EXCEEDED, "API-slowBody",
      "the request body did not arrive in time")));
    request.handler(chunk -> {
      if (body.length() + chunk.length() > max) {
        vertx.cancelTimer(timer);
        refuse(request, tooLarge());
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(closed -> vertx.cancelTimer(timer));
    request.endHandler(end -> {
      vertx.cancelTimer(timer);
      if (request.response().ended()) {
        return;
      }
      byte[] frame = text ? decodeText(body.toString(StandardCharsets.ISO_8859_1)) : body.getBytes();
      ApiError refused = refusal(frame, request.getHeader("grpc-encoding"));
      if (refused != null) {
        refuse(request, refused);
      } else {
        grpc.handle(new ReplayedRequest(request, text ? Buffer.buffer(Base64.getEncoder().encode(frame)) : body));
      }
    });
  }

  /**
   * Why the body is not one whole frame within the limit, uncompressed or compressed with the
   * grpc-encoding named (which the endpoint then refuses as unsupported), or null.
   */
  private ApiError refusal(byte[] frame, String encoding) {
    if (frame == null || frame.length < 5) {
      return RpcErrors.malformed();
    }
    long length = Integer.toUnsignedLong(ByteBuffer.wrap(frame, 1, 4).getInt());
    if (length > maxMessageBytes) {
      return tooLarge();
    }
    boolean encoded = encoding != null && !encoding.equals("identity");
    if ((frame[0] != 0 && !(frame[0] == 1 && encoded)) || length != frame.length - 5) {
      return RpcErrors.malformed();
    }
    return null;
  }

  /** gRPC-web-text: base64, each 4-character group decoded alone (padding may end any chunk); null if not base64. */
  private static byte[] decodeText(String text) {
    String base64 = text.replaceAll("\\s", "");
    if (base64.length() % 4 != 0) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (int i = 0; i < base64.length(); i += 4) {
        out.writeBytes(Base64.getDecoder().decode(base64.substring(i, i + 4)));
      }
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    return out.toByteArray();
  }

  private ApiError tooLarge() {
    return new ApiError(GrpcCode.RESOURCE_EXHAUSTED, "API-tooLarge", "the request message is larger than " + maxMessageBytes + " bytes");
  }

  /** A trailers-only answer; an unread rest of the body ends the HTTP/1.1 connection or resets the HTTP/2 stream. */
  private static void refuse(HttpServerRequest request, ApiError error) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    RpcLog log = RpcLog.start(request.getHeader("x-request-id"), "grpc", request.path());
    boolean unread = !request.isEnded();
    if (unread && request.version() != HttpVersion.HTTP_2) {
      // not on HTTP/2: a paused stream's unread bytes would stay counted against the connection's window
      request.pause();
      response.putHeader("connection", "close");
    }
    response.setStatusCode(200).putHeader("content-type", mediaType(request))
      .putHeader("grpc-status", Integer.toString(error.code().number()))
      .putHeader("grpc-message", URLEncoder.encode(ErrorBody.message(error), StandardCharsets.UTF_8).replace("+", "%20"))
      .putHeader("grpc-status-details-bin", RpcErrors.statusDetailsBin(error)).end();
    if (unread && request.version() == HttpVersion.HTTP_2) {
      response.reset(0);
    }
    log.end(error.code().name());
  }

  private static String mediaType(HttpServerRequest request) {
    String type = request.getHeader("content-type");
    return type == null ? "application/grpc" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }
}
