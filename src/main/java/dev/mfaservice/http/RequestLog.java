package dev.mfaservice.http;

import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request a correlation id (a sane incoming {@code X-Request-Id}, else a new one),
 * echoes it, marks API answers {@code no-store}, and logs one line per request when it ends:
 * method, path, status, duration. Never headers, query strings or bodies (SEC S4).
 */
public final class RequestLog implements PlatformHandler {
  static final String REQUEST_ID = "mfa.requestId";
  private static final Logger ACCESS = LoggerFactory.getLogger("mfa.access");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** Ids are this process's random prefix and a counter: unique, and no SecureRandom call per request. */
  private static final String PREFIX = Long.toHexString(new java.security.SecureRandom().nextLong() & 0xFFFFFFFFFFL);
  private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

  /** The correlation id of a request: a sane incoming {@code X-Request-Id}, else a new one. */
  public static String requestId(String incoming) {
    return incoming != null && SANE_ID.matcher(incoming).matches() ? incoming
      : PREFIX + "-" + Long.toHexString(COUNTER.incrementAndGet());
  }

  static String requestId(RoutingContext ctx) {
    return ctx.get(REQUEST_ID);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String id = requestId(ctx.request().getHeader("X-Request-Id"));
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader("X-Request-Id", id).putHeader("Cache-Control", "no-store");
    if (ACCESS.isInfoEnabled()) {
      ctx.addEndHandler(done -> ACCESS.atInfo()
        .addKeyValue("method", ctx.request().method().name())
        .addKeyValue("path", ctx.normalizedPath())
        .addKeyValue("status", ctx.response().getStatusCode())
        .addKeyValue("ms", (System.nanoTime() - start) / 1_000_000)
        .addKeyValue("requestId", id)
        .log("request"));
    }
    ctx.next();
  }
}
