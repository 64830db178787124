package dev.mfaservice.rpc;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;

/**
 * A request whose body was already read (and checked), handed on as if it arrived now: the body
 * as one chunk, then its end, once the reader has set both handlers.
 */
final class ReplayedRequest extends HttpServerRequestWrapper {
  private final Buffer body;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private boolean delivered;
  private boolean ended;

  ReplayedRequest(HttpServerRequest delegate, Buffer body) {
    super((HttpServerRequestInternal) delegate);
    this.body = body;
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    this.handler = handler;
    deliverLater();
    return this;
  }

  @Override
  public HttpServerRequest endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    deliverLater();
    return this;
  }

  @Override
  public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public HttpServerRequest pause() {
    return this;
  }

  @Override
  public HttpServerRequest resume() {
    return this;
  }

  @Override
  public HttpServerRequest fetch(long amount) {
    return this;
  }

  @Override
  public boolean isEnded() {
    return ended;
  }

  private void deliverLater() {
    if (handler != null && endHandler != null && !delivered) {
      delivered = true;
      context().runOnContext(v -> {
        handler.handle(body);
        ended = true;
        endHandler.handle(null);
      });
    }
  }
}
