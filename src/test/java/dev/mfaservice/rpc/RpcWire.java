package dev.mfaservice.rpc;

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
  private final okhttp3.OkHttpClient h2 = new okhttp3.OkHttpClient.Builder()
    .protocols(java.util.List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).callTimeout(DEADLINE)
    .connectionPool(new okhttp3.ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
  private final int port;

  /** @param code Connect's code ("ok" on 200) or gRPC's status number (null if there was none) */
  record Answer(int http, String code, String detail) {
    boolean ok() {
      return "ok".equals(code) || "0".equals(code);
    }
  }

  RpcWire(int port) {
    this.port = port;
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

  /**
   * gRPC over HTTP/2 (prior knowledge, as gRPC clients speak h2c), by OkHttp, a connection per call so that each
   * verdict is the call's own. (Vert.x's HTTP/2 client left about one call in 2,000 unanswered, at a different call
   * each run; OkHttp, on the same mutations, none in 6,000: the stalls were that client's, not the service's.)
   */
  Answer h2(String path, String contentType, byte[] body, String token, Map<String, String> headers) throws Exception {
    okhttp3.Request.Builder b = new okhttp3.Request.Builder().url("http://127.0.0.1:" + port + path)
      .header("te", "trailers").post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get(contentType)));
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    try (okhttp3.Response r = h2.newCall(b.build()).execute()) {
      r.body().bytes();
      String status = r.header("grpc-status") != null ? r.header("grpc-status") : r.trailers().get("grpc-status");
      String message = r.header("grpc-message") != null ? r.header("grpc-message") : r.trailers().get("grpc-message");
      return new Answer(r.code(), status, String.valueOf(message));
    }
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
    h2.dispatcher().executorService().shutdown();
    h2.connectionPool().evictAll();
  }
}
