package dev.mfaservice.http;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.DatabaseUnavailable;
import dev.mfaservice.errors.ErrorBody;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place every failure becomes the wire body of API.md: domain errors, validation,
 * authentication, HTTP-level refusals (404, 405, 413) and unexpected failures. 4xx are logged
 * at debug without a stack; anything unexpected once at error with the correlation id, which is
 * all the client learns of it.
 */
final class ErrorResponder implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      LOG.warn("failure after the response started: requestId={}", RequestLog.requestId(ctx));
      ctx.response().reset();
      return;
    }
    ApiError error = toApiError(ctx);
    if (error.id().equals("API-databaseUnavailable")) {
      LOG.warn("database unavailable: requestId={} {}", RequestLog.requestId(ctx), ctx.failure().toString());
    } else if (error.httpStatus() >= 500 && error.code() == GrpcCode.INTERNAL) {
      LOG.error("unexpected failure: requestId={} {} {}", RequestLog.requestId(ctx), ctx.request().method(),
        path(ctx), ctx.failure());
    } else {
      LOG.debug("request refused: requestId={} status={} id={}", RequestLog.requestId(ctx), error.httpStatus(), error.id());
    }
    error.retryAfterSeconds().ifPresent(seconds -> ctx.response().putHeader("Retry-After", seconds));
    ctx.response().setStatusCode(error.httpStatus())
      .putHeader("Content-Type", "application/json")
      .end(ErrorBody.of(error).toBuffer());
  }

  private static ApiError toApiError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError api) {
      return api;
    }
    java.util.Optional<ApiError> database = DatabaseUnavailable.of(failure);
    if (database.isPresent()) {
      return database.get();
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 404 -> http(GrpcCode.NOT_FOUND, 404, "API-notFound", "no such API path: " + path(ctx));
      case 405 -> http(GrpcCode.UNIMPLEMENTED, 405, "API-method",
        "method " + ctx.request().method() + " is not allowed on " + path(ctx));
      default -> refusal(status).orElseGet(() -> ApiError.internal(RequestLog.requestId(ctx)));
    };
  }

  /** The HTTP layer's refusals that say the same whatever the request: also what {@link InvalidRequests} answers. */
  static java.util.Optional<ApiError> refusal(int status) {
    return java.util.Optional.ofNullable(switch (status) {
      case 400 -> http(GrpcCode.INVALID_ARGUMENT, 400, "API-badRequest", "the request is malformed");
      case 413 -> http(GrpcCode.INVALID_ARGUMENT, 413, "API-tooLarge", "the request body is larger than the limit");
      case 414 -> http(GrpcCode.INVALID_ARGUMENT, 414, "API-uriTooLong", "the request line is longer than the limit");
      case 415 -> http(GrpcCode.INVALID_ARGUMENT, 415, "API-contentType",
        "the request body must be sent as Content-Type: application/json");
      case 431 -> http(GrpcCode.INVALID_ARGUMENT, 431, "API-headersTooLarge", "the request headers are larger than the limit");
      default -> null;
    });
  }

  /** The request's path for messages; a path that cannot be decoded (a bad % escape) is shown raw. */
  private static String path(RoutingContext ctx) {
    try {
      return ctx.normalizedPath();
    } catch (IllegalArgumentException undecodable) {
      return ctx.request().path();
    }
  }

  private static ApiError http(GrpcCode code, int status, String id, String message) {
    return new ApiError(code, status, id, message, List.of());
  }
}
