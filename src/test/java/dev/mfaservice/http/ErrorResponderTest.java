package dev.mfaservice.http;

import static dev.mfaservice.support.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.support.Http;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The failure handler itself: what a client sees of a refused or a broken request, and what the log keeps. */
class ErrorResponderTest {
  static Vertx vertx;
  static HttpServer server;
  static Http http;
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(new RequestLog());
    router.get("/refused").handler(ctx -> ctx.fail(ApiError.invalidArgument("TEST-refused", "refused politely")));
    router.get("/broken").handler(ctx -> {
      throw new IllegalStateException("db password is hunter2");
    });
    ErrorResponder errors = new ErrorResponder();
    router.route().failureHandler(errors);
    router.errorHandler(500, errors);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    http = new Http(server.actualPort());
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @BeforeEach
  void capture() {
    logged.start();
    ((Logger) LoggerFactory.getLogger(ErrorResponder.class)).addAppender(logged);
  }

  @Test
  void aRefusedRequestLogsNoStackTrace() {
    assertError(http.get("/refused", null), 400, 3, "TEST-refused");
    assertTrue(logged.list.stream().allMatch(e -> e.getThrowableProxy() == null), "no stack for a 4xx");
  }

  @Test
  void anUnexpectedFailureIs500WithACorrelationIdLoggedOnceWithItsStack() {
    Http.Reply reply = http.get("/broken", null);
    assertError(reply, 500, 13, "API-internal");
    String requestId = reply.raw().headers().firstValue("X-Request-Id").orElseThrow();
    assertTrue(reply.text().contains(requestId), reply.text());
    assertFalse(reply.text().contains("hunter2"), "nothing of the failure reaches the client");
    assertFalse(reply.text().contains("IllegalStateException"), reply.text());
    var errors = logged.list.stream().filter(e -> e.getLevel().toString().equals("ERROR")).toList();
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).getFormattedMessage().contains(requestId));
    assertNotNull(errors.get(0).getThrowableProxy(), "the log keeps the stack");
  }

  @Test
  void everyAnswerCarriesARequestIdAndNoStore() {
    Http.Reply reply = http.get("/refused", null);
    assertTrue(reply.raw().headers().firstValue("X-Request-Id").orElseThrow().matches("[0-9a-f]+-[0-9a-f]+"));
    assertEquals("no-store", reply.raw().headers().firstValue("Cache-Control").orElseThrow());
  }
}
