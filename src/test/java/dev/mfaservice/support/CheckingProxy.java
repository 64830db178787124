package dev.mfaservice.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP forwarder in front of a test instance for clients the suite does not drive from Java (a node client library,
 * say): every request goes on to the instance unchanged, and every answer is checked against the contract
 * ({@link ContractCheck}): each is passed on as it came and kept, for the test to check them all at its end.
 */
public final class CheckingProxy implements AutoCloseable {
  private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("connection", "keep-alive",
    "transfer-encoding", "content-length", "upgrade");
  private final Vertx vertx;
  private final HttpServer server;
  private final List<Answer> answers = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  private record Answer(String method, String uri, Http.Reply reply) {
  }

  private CheckingProxy(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** A forwarder on a free loopback port to 127.0.0.1:{@code port}. */
  public static CheckingProxy to(int port) {
    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient();
    CheckingProxy[] self = new CheckingProxy[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> self[0].forward(client, port, request))
      .listen(0, "127.0.0.1").await();
    self[0] = new CheckingProxy(vertx, server);
    return self[0];
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /**
   * The answers passed on so far that broke the contract, each with the operation and the difference, and the
   * forwardings that failed. Checked here, on the caller's thread (the check blocks: not on an event loop).
   */
  public List<String> breaches() {
    List<String> found = new ArrayList<>(failures);
    for (Answer a : answers) {
      try {
        ContractCheck.get().verify(a.method(), a.uri(), a.reply());
      } catch (AssertionError breach) {
        found.add(breach.getMessage());
      }
    }
    return found;
  }

  /** {@code METHOD uri → status} of every answer passed on. */
  public List<String> seen() {
    return answers.stream().map(a -> a.method() + " " + a.uri() + " → " + a.reply().status()).toList();
  }

  private void forward(HttpClient client, int port, HttpServerRequest in) {
    in.body().compose(body -> {
      RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(in.method())
        .setURI(in.uri()).setHeaders(in.headers());
      return client.request(options).compose(out -> out.send(body))
        .compose(answer -> answer.body().map(answerBody -> {
          keep(in, answer, answerBody);
          in.response().setStatusCode(answer.statusCode());
          answer.headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
              in.response().headers().add(name, value);
            }
          });
          return answerBody;
        }));
    }).onSuccess(answerBody -> in.response().end(answerBody))
      .onFailure(e -> {
        failures.add("forwarding " + in.method() + " " + in.uri() + " failed: " + e);
        in.response().setStatusCode(502).end("forwarding failed: " + e);
      });
  }

  private void keep(HttpServerRequest in, HttpClientResponse answer, Buffer body) {
    String type = answer.getHeader("Content-Type");
    answers.add(new Answer(in.method().name(), in.uri(), new Http.Reply(answer.statusCode(), type == null ? "" : type,
      body.toString(), null, null)));
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
