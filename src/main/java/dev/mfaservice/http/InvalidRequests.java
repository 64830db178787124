package dev.mfaservice.http;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.ErrorBody;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;

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
    int status = text.startsWith("An HTTP line is larger than") ? 414 : text.startsWith("HTTP header is larger than") ? 431 : 400;
    ApiError error = ErrorResponder.refusal(status).orElseThrow();
    request.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/json")
      .putHeader("Connection", "close").end(ErrorBody.of(error).toBuffer())
      .onComplete(done -> request.connection().close());
  }
}
