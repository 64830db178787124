package dev.mfaservice.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/** The service over the wire: REST and Connect on HTTP/1.1 keep-alive connections, unary gRPC over h2c; one event loop. */
final class Api {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpClientAgent http;
  /** HTTP/2 with prior knowledge (h2c), one stream at a time per connection: the closed loop of the HTTP/1.1 client. */
  private final HttpClientAgent grpcHttp;
  private final String token;

  Api(String url, String token, int connections) {
    URI u = URI.create(url);
    this.http = vertx.createHttpClient(options(u), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    this.grpcHttp = vertx.createHttpClient(options(u).setProtocolVersion(HttpVersion.HTTP_2)
      .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(1),
      new PoolOptions().setHttp2MaxSize(connections).setMaxWaitQueueSize(-1));
    this.token = token;
  }

  private static HttpClientOptions options(URI u) {
    return new HttpClientOptions().setDefaultHost(u.getHost()).setDefaultPort(u.getPort())
      .setKeepAlive(true).setConnectTimeout(30_000).setIdleTimeout(0);
  }

  Vertx vertx() {
    return vertx;
  }

  /** A call with a JSON body (or none), the bearer token when {@code auth}: the answer's body, or a failure if not 2xx. */
  Future<String> call(HttpMethod method, String path, JsonObject body, boolean auth) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    if (auth) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return send(options, body == null ? null : body.toBuffer());
  }

  /** A form-encoded POST (the Twilio Verify API's requests) with this Authorization header: as {@link #call}. */
  Future<String> form(String path, String form, String authorization) {
    return send(new RequestOptions().setMethod(HttpMethod.POST).setURI(path).putHeader("Authorization", authorization)
      .putHeader("Content-Type", "application/x-www-form-urlencoded"), Buffer.buffer(form));
  }

  private Future<String> send(RequestOptions options, Buffer body) {
    return http.request(options)
      .compose(req -> body == null ? req.send() : req.send(body))
      .compose(resp -> resp.body().compose(b -> resp.statusCode() / 100 == 2 ? Future.succeededFuture(b.toString())
        : Future.failedFuture(resp.statusCode() + " " + b)));
  }

  /** A unary gRPC call: the message framed (no compression), the answer's grpc-status checked. */
  Future<String> grpc(String path, byte[] message) {
    Buffer framed = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
      .putHeader("content-type", "application/grpc").putHeader("te", "trailers")
      .putHeader("authorization", "Bearer " + token);
    return grpcHttp.request(options)
      .compose(req -> req.send(framed))
      .compose(resp -> resp.body().compose(b -> {
        String status = resp.getTrailer("grpc-status") != null ? resp.getTrailer("grpc-status") : resp.getHeader("grpc-status");
        return "0".equals(status) && b.length() > 5 ? Future.succeededFuture("ok")
          : Future.failedFuture("grpc-status " + status + " " + resp.getTrailer("grpc-message"));
      }));
  }

  void close() {
    vertx.close().await();
  }
}
