package dev.mfaservice.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the service's SMS go during the bench: a local server speaking Twilio's Messages API
 * ({@code POST /2010-04-01/Accounts/{sid}/Messages.json}, form-encoded; the service's TwilioTransport is pointed at
 * it with MFA_TWILIO_API_URL). It keeps nothing: the code of each SMS goes to whoever {@link #expect}ed its number.
 */
final class SmsSink {
  private static final Pattern CODE = Pattern.compile("(\\d{4,10})");
  private static final long TIMEOUT_MS = 10_000;
  private final Vertx vertx;
  private final Map<String, Promise<String>> waiting = new ConcurrentHashMap<>();
  private final HttpServer server;

  SmsSink(Vertx vertx, int port) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(this::received).listen(port, "127.0.0.1").await();
  }

  /** The code of the next SMS to {@code to}; expect it before the request that sends it. Fails after 10 s. */
  Future<String> expect(String to) {
    Promise<String> code = Promise.promise();
    waiting.put(to, code);
    long timer = vertx.setTimer(TIMEOUT_MS, t -> {
      if (waiting.remove(to, code)) {
        code.tryFail("no SMS to " + to + " within " + TIMEOUT_MS + " ms");
      }
    });
    return code.future().onComplete(r -> vertx.cancelTimer(timer));
  }

  private void received(HttpServerRequest request) {
    request.setExpectMultipart(true).end().onSuccess(v -> {
      String to = request.getFormAttribute("To");
      Matcher m = CODE.matcher(String.valueOf(request.getFormAttribute("Body")));
      Promise<String> code = to == null ? null : waiting.remove(to);
      if (code != null) {
        if (m.find()) {
          code.tryComplete(m.group(1));
        } else {
          code.tryFail("no code in the SMS to " + to);
        }
      }
      // as Twilio: 201 and the message resource (the fields twilio-java's Message reads are all optional)
      request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("sid", "SM" + Long.toHexString(System.nanoTime())).put("to", to)
          .put("status", "queued").encode());
    });
  }

  void close() {
    server.close().await();
  }
}
