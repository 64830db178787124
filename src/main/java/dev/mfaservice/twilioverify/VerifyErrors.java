package dev.mfaservice.twilioverify;

import dev.mfaservice.errors.DatabaseUnavailable;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every failure of the Verify router as Twilio's error body; unexpected ones logged once, never shown. */
final class VerifyErrors implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyErrors.class);

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    TwilioError error = toTwilio(ctx);
    if (error.status() >= 500) {
      LOG.error("unexpected failure: {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    if (error.retryAfter() > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(error.retryAfter()));
    }
    if (error.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");  // as Twilio: clients that wait for a challenge
    }
    ctx.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json").end(error.body().toBuffer());
  }

  private static TwilioError toTwilio(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof TwilioError twilio) {
      return twilio;
    }
    if (failure != null && DatabaseUnavailable.of(failure).isPresent()) {
      return new TwilioError(20503, 503, "Service unavailable");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 404 -> TwilioError.notFound(ctx.request().path());
      case 405 -> new TwilioError(20004, 405, "Method not allowed");
      case 400, 413 -> new TwilioError(20000 + status, status, status == 413 ? "Request entity too large" : "Bad request");
      default -> new TwilioError(20500, 500, "Internal server error");
    };
  }
}
