package dev.mfaservice.recovery;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** One unary RPC as a client puts it on the wire: Connect (JSON, binary) and gRPC-web over HTTP/1.1, gRPC over h2c. */
final class RpcCalls implements AutoCloseable {
  enum Transport {
    CONNECT_JSON, CONNECT_PROTO, GRPC_WEB, GRPC;

    String invalidArgument() {
      return this == GRPC || this == GRPC_WEB ? "3" : "invalid_argument";
    }

    String notFound() {
      return this == GRPC || this == GRPC_WEB ? "5" : "not_found";
    }
  }

  /** The Connect code ("ok" on 200) or the gRPC status; the response message's bytes; the error text. */
  record Reply(String code, byte[] message, String text, boolean json) {
    boolean ok() {
      return "ok".equals(code) || "0".equals(code);
    }

    @SuppressWarnings("unchecked")
    <T extends Message> T message(T prototype) throws InvalidProtocolBufferException {
      if (json) {
        Message.Builder builder = prototype.newBuilderForType();
        JsonFormat.parser().ignoringUnknownFields().merge(text, builder);
        return (T) builder.build();
      }
      return (T) prototype.getParserForType().parseFrom(message);
    }

    @Override
    public String toString() {
      return code + " " + text;
    }
  }

  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private final HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE).build();
  private final Vertx vertx = Vertx.vertx();
  private final int port;

  RpcCalls(int port) {
    this.port = port;
  }

  Reply call(Transport transport, String method, Message request, String token) throws Exception {
    return switch (transport) {
      case CONNECT_JSON -> connectJson(method, request, token);
      case CONNECT_PROTO -> connect(method, "application/proto", request.toByteArray(), token, false);
      case GRPC_WEB -> grpcWeb(method, request, token);
      case GRPC -> grpc(method, request, token);
    };
  }

  private Reply connectJson(String method, Message request, String token) throws Exception {
    return connect(method, "application/json", JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8), token, true);
  }

  private Reply connect(String method, String type, byte[] body, String token, boolean json) throws Exception {
    HttpResponse<byte[]> r = http1.send(request(method, type, body, token).header("Connect-Protocol-Version", "1").build(),
      HttpResponse.BodyHandlers.ofByteArray());
    String text = new String(r.body(), StandardCharsets.UTF_8);
    if (r.statusCode() != 200) {
      return new Reply(new JsonObject(text).getString("code"), null, text, false);
    }
    return new Reply("ok", json ? null : r.body(), text, json);
  }

  private Reply grpcWeb(String method, Message request, String token) throws Exception {
    HttpResponse<byte[]> r = http1.send(request(method, "application/grpc-web+proto", frame(request.toByteArray()), token)
      .header("X-Grpc-Web", "1").build(), HttpResponse.BodyHandlers.ofByteArray());
    String status = r.headers().firstValue("grpc-status").orElse(null);
    String message = r.headers().firstValue("grpc-message").orElse("");
    byte[] data = null;
    ByteBuffer frames = ByteBuffer.wrap(r.body());
    while (frames.remaining() >= 5) {
      byte flag = frames.get();
      byte[] payload = new byte[frames.getInt()];
      frames.get(payload);
      if ((flag & 0x80) == 0) {
        data = payload;
        continue;
      }
      for (String line : new String(payload, StandardCharsets.UTF_8).split("\r\n")) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase();
        status = name.equals("grpc-status") ? line.substring(colon + 1).trim() : status;
        message = name.equals("grpc-message") ? line.substring(colon + 1).trim() : message;
      }
    }
    return new Reply(status, data, URLDecoder.decode(message, StandardCharsets.UTF_8), false);
  }

  private Reply grpc(String method, Message request, String token) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
      .setURI("/" + method).putHeader("content-type", "application/grpc").putHeader("te", "trailers")
      .putHeader("authorization", "Bearer " + token);
    io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions()
      .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      return client.request(options).compose(req -> req.send(Buffer.buffer(frame(request.toByteArray()))))
        .compose(response -> response.body().map(body -> {
          String status = response.getHeader("grpc-status") != null ? response.getHeader("grpc-status") : response.getTrailer("grpc-status");
          String message = response.getHeader("grpc-message") != null ? response.getHeader("grpc-message")
            : response.getTrailer("grpc-message");
          byte[] bytes = body.getBytes();
          byte[] data = bytes.length >= 5 ? Arrays.copyOfRange(bytes, 5, 5 + ByteBuffer.wrap(bytes, 1, 4).getInt()) : null;
          return new Reply(status, data, message == null ? "" : URLDecoder.decode(message, StandardCharsets.UTF_8), false);
        }))
        .toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      client.close();
    }
  }

  private HttpRequest.Builder request(String method, String type, byte[] body, String token) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + method)).timeout(DEADLINE)
      .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type).header("Authorization", "Bearer " + token);
  }

  private static byte[] frame(byte[] message) {
    return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
  }

  @Override
  public void close() {
    vertx.close();
  }
}
