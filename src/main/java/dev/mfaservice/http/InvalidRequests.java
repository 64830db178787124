package dev.mfaservice.http;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.ErrorBody;
import dev.mfaservice.errors.GrpcCode;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Requests the HTTP decoder already refused (an over-long request line or headers, a line that
 * is not HTTP): answered with the error body like every other refusal, instead of Vert.x's empty
 * one, and the connection closed, since the rest of what the client sent cannot be trusted.
 */
public final class InvalidRequests {
  private InvalidRequests() {
  }

  public static void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String text = cause instanceof TooLongFrameException && cause.getMessage() != null ? cause.getMessage() : "";
    ApiError error;
    if (text.startsWith("An HTTP line is larger than")) {
      error = new ApiError(GrpcCode.INVALID_ARGUMENT, 414, "API-uriTooLong", "the request line is longer than the limit", List.of());
    } else if (text.startsWith("HTTP header is larger than")) {
      error = new ApiError(GrpcCode.INVALID_ARGUMENT, 431, "API-headersTooLarge", "the request headers are larger than the limit",
        List.of());
    } else {
      error = new ApiError(GrpcCode.INVALID_ARGUMENT, 400, "API-badRequest", "the request is malformed", List.of());
    }
    request.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/json")
      .putHeader("Connection", "close").end(ErrorBody.of(error).toBuffer())
      .onComplete(done -> request.connection().close());
  }
}
