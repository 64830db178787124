package dev.mfaservice.rpc;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends raw RPC requests as a client would put them on the wire — Connect and gRPC-web over
 * HTTP/1.1, gRPC over HTTP/2 without TLS — each with a deadline, and reads the outcome: the
 * HTTP status and the Connect code or gRPC status.
 */
final class RpcWire implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(5);
  private final HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(DEADLINE).build();
  private final io.vertx.core.http.HttpClient h2;
  private final int port;
  private final Vertx vertx;

  /** @param code Connect's code ("ok" on 200) or gRPC's status number (null if there was none) */
  record Answer(int http, String code, String detail) {
    boolean ok() {
      return "ok".equals(code) || "0".equals(code);
    }
  }

  RpcWire(Vertx vertx, int port) {
    this.port = port;
    this.vertx = vertx;
    this.h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
      .setHttp2ClearTextUpgrade(false));
  }

  /** Connect or gRPC-web over HTTP/1.1. */
  Answer http1(String path, String contentType, byte[] body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(DEADLINE)
      .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> r = http1.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    String text = new String(r.body(), StandardCharsets.UTF_8);
    if (!contentType.startsWith("application/grpc")) {
      String code = r.statusCode() == 200 ? "ok" : connectCode(text);
      return new Answer(r.statusCode(), code, text.length() > 300 ? text.substring(0, 300) : text);
    }
    String status = r.headers().firstValue("grpc-status").orElse(null);
    if (status == null && r.statusCode() == 200) {
      byte[] frames = contentType.startsWith("application/grpc-web-text") ? base64Chunks(text) : r.body();
      status = RpcProtocolsTest.trailers(frames).get("grpc-status");
    }
    return new Answer(r.statusCode(), status, r.headers().firstValue("grpc-message").orElse(""));
  }

  /** gRPC over HTTP/2 (prior knowledge, as gRPC clients speak h2c). */
  Answer h2(String path, String contentType, byte[] body, String token, Map<String, String> headers) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
      .setURI(path).putHeader("content-type", contentType).putHeader("te", "trailers")
      .setIdleTimeout(DEADLINE.toMillis());
    if (token != null) {
      options.putHeader("authorization", "Bearer " + token);
    }
    headers.forEach(options::putHeader);
    java.util.concurrent.atomic.AtomicReference<String> stage = new java.util.concurrent.atomic.AtomicReference<>("no stream");
    try {
      return h2(options, body, stage);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new java.util.concurrent.TimeoutException("timed out with " + stage.get());
    }
  }

  private Answer h2(RequestOptions options, byte[] body, java.util.concurrent.atomic.AtomicReference<String> stage) throws Exception {
    // One connection per call, so that each verdict is the call's own: on one shared connection some
    // calls stall after ~150 streams (open finding, -Dfuzz.h2.shared=true reproduces it)
    io.vertx.core.http.HttpClient client = Boolean.getBoolean("fuzz.h2.shared") ? h2 : vertx.createHttpClient(new HttpClientOptions()
      .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    return client.request(options)
      .compose(request -> {
        stage.set("a stream");
        return request.send(Buffer.buffer(body));
      })
      .compose(response -> response.body().map(b -> {
        String status = response.getHeader("grpc-status");
        if (status == null) {
          status = response.getTrailer("grpc-status");
        }
        String message = response.getHeader("grpc-message") != null ? response.getHeader("grpc-message") : response.getTrailer("grpc-message");
        return new Answer(response.statusCode(), status, String.valueOf(message));
      }))
      .andThen(done -> {
        if (client != h2) {
          client.close();
        }
      })
      .toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis() + 500, TimeUnit.MILLISECONDS);
  }

  /** gRPC-web-text: each frame is base64 of its own (padding may appear mid-body), so each 4-character group is decoded alone. */
  private static byte[] base64Chunks(String text) {
    String clean = text.replaceAll("\\s", "");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i + 4 <= clean.length(); i += 4) {
      out.writeBytes(Base64.getDecoder().decode(clean.substring(i, i + 4)));
    }
    return out.toByteArray();
  }

  /** With -Dfuzz.dump=true, what the service's event loops are doing (after a call that got no answer). */
  static void dumpEventLoops() {
    if (Boolean.getBoolean("fuzz.dump")) {
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        if (thread.getName().startsWith("vert.x")) {
          System.out.println("DUMP " + thread.getName() + " " + thread.getState() + "\n  " + java.util.Arrays.stream(stack)
            .limit(25).map(Object::toString).collect(java.util.stream.Collectors.joining("\n  ")));
        }
      });
    }
  }

  private static String connectCode(String body) {
    try {
      return new JsonObject(body).getString("code");
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  @Override
  public void close() {
    h2.close();
  }
}
