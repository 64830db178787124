package dev.mfaservice.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking HTTP client for tests: what a user of the API sends and sees. */
public final class Http {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** An answer; {@code operation} is the contract's operationId it answered, null for paths outside the contract. */
  public record Reply(int status, String contentType, String text, HttpResponse<String> raw, String operation) {
    public JsonObject json() {
      return new JsonObject(text);
    }

    public String errorId() {
      return json().getJsonArray("details").getJsonObject(0).getString("id");
    }
  }

  public Reply get(String path, String token) {
    return send(request(path, token).GET());
  }

  public Reply delete(String path, String token) {
    return send(request(path, token).DELETE());
  }

  public Reply post(String path, String token, JsonObject body) {
    return post(path, token, body.encode(), "application/json");
  }

  public Reply post(String path, String token, String body, String contentType) {
    HttpRequest.Builder b = request(path, token).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  /** Any method with a body of any type as it is (e.g. what a careless or hostile client sends). */
  public Reply send(String method, String path, String token, String body, String contentType) {
    return send(request(path, token).header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply put(String path, String token, JsonObject body) {
    return send(request(path, token).header("Content-Type", "application/json")
      .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** Any call, with extra headers (e.g. x-zitadel-orgid); {@code body} null = none. */
  public Reply call(String method, String path, String token, JsonObject body, java.util.Map<String, String> headers) {
    HttpRequest.Builder b = request(path, token).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
      : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    return send(b);
  }

  public Reply method(String method, String path, String token) {
    return send(request(path, token).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Reply send(HttpRequest.Builder b) {
    try {
      HttpRequest request = b.build();
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      Reply reply = new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r, null);
      String operation = ContractCheck.get().verify(request.method(), request.uri().getRawPath(), reply);
      return new Reply(reply.status(), reply.contentType(), reply.text(), r, operation);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
