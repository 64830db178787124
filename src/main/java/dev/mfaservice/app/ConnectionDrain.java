package dev.mfaservice.app;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.HashMap;
import java.util.Map;

/**
 * Once a graceful stop begins, tells HTTP/1.x clients {@code Connection: close} on every response
 * not yet begun, so that none sends its next request on a connection the server is closing.
 * <p>
 * Vert.x 5's {@code HttpServer.shutdown} closes an idle HTTP/1.x connection at once and a busy one
 * right after its response (Http1xServerConnection), and drops a request that arrives on it after
 * that; but the response keeps the keep-alive its request asked for. HTTP/2 needs nothing here:
 * Vert.x sends GOAWAY and lets the open streams finish. One instance per API verticle, used on its
 * event loop only (where its connections live).
 */
final class ConnectionDrain {
  /** Each open HTTP/1.x connection's latest response: the one in progress, if any (Vert.x hands on a pipelined request after the response before it). */
  private final Map<HttpConnection, HttpServerResponse> latest = new HashMap<>();
  private boolean draining;

  Handler<HttpServerRequest> around(Handler<HttpServerRequest> next) {
    return request -> {
      if (request.version() != HttpVersion.HTTP_2) {
        if (draining) {
          closeAfter(request.response());
        } else {
          latest.put(request.connection(), request.response());
        }
      }
      next.handle(request);
    };
  }

  /** For {@code HttpServer.connectionHandler}: forgets a connection once it is closed. */
  void opened(HttpConnection connection) {
    connection.closeHandler(v -> latest.remove(connection));
  }

  /** Called just before the server's shutdown. */
  void begin() {
    draining = true;
    latest.values().forEach(ConnectionDrain::closeAfter);
    latest.clear();
  }

  private static void closeAfter(HttpServerResponse response) {
    if (!response.headWritten() && !response.ended() && !response.closed()) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
  }
}
