package dev.mfaservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.ContractCheck;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.JsonMutations;
import dev.mfaservice.support.JsonMutations.Input;
import dev.mfaservice.support.RowCounts;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Fuzzes every operation of the contract (issue 15 item 10): mutated JSON bodies, odd path
 * parameters and odd headers, mostly with an admin token so that validation and handlers are
 * reached. Seeded and bounded ({@code -Dfuzz.seed}, {@code -Dfuzz.count}). Invariants: no 5xx,
 * every answer as the contract describes it (errors in the error body), an answer within 5 s,
 * no row changed by a refused call, and a normal call served afterwards.
 */
class RestFuzzTest {
  static final long SEED = Long.getLong("fuzz.seed", 0x15_10L);
  static final int COUNT = Integer.getInteger("fuzz.count", 250) * 2;
  static TestServer server;
  static RowCounts rows;
  static String admin;
  static String user;
  static String org;
  static final List<String[]> OPERATIONS = new ArrayList<>(); // method, path template, body schema (or null)
  static JsonObject schemas;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(RestFuzzTest.class);
    admin = server.adminToken();
    org = server.createOrg("Rest Fuzz");
    user = server.createUser(org, "restfuzz");
    rows = new RowCounts(server.database);
    JsonObject contract = new JsonObject((Map<String, Object>) new Yaml().load(Files.readString(Path.of(ApiRouter.CONTRACT))));
    schemas = contract.getJsonObject("components").getJsonObject("schemas");
    contract.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (List.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
        JsonObject media = ((JsonObject) op.getValue()).getJsonObject("requestBody", new JsonObject())
          .getJsonObject("content", new JsonObject()).getJsonObject("application/json");
        String ref = media == null ? null : media.getJsonObject("schema").getString("$ref");
        OPERATIONS.add(new String[] {op.getKey().toUpperCase(), path.getKey(), ref});
      }
    }));
  }

  @AfterAll
  static void stop() throws Exception {
    rows.close();
    server.close();
  }

  @Test
  void everyOperationRefusesMutatedInputWithTheErrorBody() throws Exception {
    Random random = new Random(SEED);
    JsonMutations mutations = new JsonMutations(random);
    List<String> failures = new ArrayList<>();
    String before = rows.snapshot();
    long started = System.nanoTime();
    for (int i = 0; i < COUNT && failures.size() < 10; i++) {
      String[] op = OPERATIONS.get(i % OPERATIONS.size());
      String path = fill(op[0], op[1], random);
      Input in = op[2] != null || random.nextInt(4) == 0 ? mutations.mutate(base(op[2], 0)) : null;
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.config.http().port() + path))
        .timeout(Duration.ofSeconds(5)).method(op[0], in == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(in.bytes()));
      String headers = oddHeaders(request, random, in != null);
      String what = "#" + i + " " + op[0] + " " + path + " " + headers + " " + (in == null ? "" : in.what());
      try {
        HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(r.body(), StandardCharsets.UTF_8);
        String after = rows.snapshot();
        Http.Reply reply = new Http.Reply(r.statusCode(), r.headers().firstValue("content-type").orElse(""), text, null, null);
        if (r.statusCode() >= 500) {
          failures.add(what + " → " + r.statusCode() + " " + text);
        } else if (r.statusCode() >= 400 && !before.equals(after)) {
          failures.add(what + " → " + r.statusCode() + ": a refused call changed rows: " + before + " → " + after);
        }
        ContractCheck.get().verify(op[0], URI.create(path).getRawPath(), reply);
        before = after;
      } catch (AssertionError | Exception e) {
        failures.add(what + ": " + e + (in == null ? "" : "\n    body: " + HexFormat.of().formatHex(in.bytes(), 0, Math.min(200, in.bytes().length))));
        before = rows.snapshot();
      }
    }
    System.out.printf("fuzz rest: %d requests over %d operations in %d ms (seed %d)%n", COUNT, OPERATIONS.size(),
      (System.nanoTime() - started) / 1_000_000, SEED);
    assertTrue(failures.isEmpty(), "fuzz rest with -Dfuzz.seed=" + SEED + ":\n  " + String.join("\n  ", failures));
    assertEquals(200, server.http.get("/v2/users/" + user, admin).status(), "a normal call after the fuzz");
  }

  /**
   * Undecodable query strings (issue 26: {@code ?a=%ZZ} answered 500 on every operation with a
   * path parameter): sent raw, as java.net.URI refuses to build them, on every operation, with and
   * without a token; each is refused with 400 and the error body, and changes nothing.
   */
  @Test
  void everyOperationRefusesAnUndecodableQueryString() throws Exception {
    String[] queries = {"a=%ZZ", "a=%", "a=%4", "%zz=1", "a=1&b=%G0"};
    Random random = new Random(SEED);
    String before = rows.snapshot();
    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (String[] op : OPERATIONS) {
      for (String token : new String[] {admin, null}) {
        String target = fill(op[0], op[1], new Random(0)) + "?" + queries[random.nextInt(queries.length)];
        String request = op[0] + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
          + (op[2] == null ? "" : "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}") + (op[2] == null ? "\r\n" : "");
        String answer = raw(request);
        sent++;
        String[] parts = answer.split("\r\n\r\n", 2);
        if (!parts[0].startsWith("HTTP/1.1 400 ") || parts.length < 2 || !parts[1].contains("\"API-badRequest\"")) {
          failures.add(op[0] + " " + target + (token == null ? " (no token)" : "") + " → " + answer.lines().findFirst().orElse("")
            + " " + (parts.length > 1 ? parts[1] : ""));
        } else {
          ContractCheck.get().verify(op[0], op[1].replaceAll("\\{[^}]+}", "1"),
            new Http.Reply(400, "application/json", parts[1], null, null));
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + sent + ":\n  " + String.join("\n  ", failures));
    assertEquals(before, rows.snapshot(), "a refused call changed rows");
  }

  /** One request as raw bytes on a new connection; the whole answer (the server closes after it). */
  private static String raw(String request) throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.config.http().port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Path parameters: mostly the fixture's ids (so handlers run), sometimes odd ones. */
  private String fill(String method, String template, Random random) {
    String[] odd = {"0", "999999999", "x".repeat(201), "%00", "a%0Ab", "%C3%28", "..%2F..", "%F0%9F%98%80", "-1",
      "18446744073709551616", "SECOND_FACTOR_TYPE_UNSPECIFIED", "%20"};
    StringBuilder path = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=\\})")) {
      if (!part.startsWith("{")) {
        path.append(part);
      } else if (random.nextInt(3) == 0) {
        path.append(odd[random.nextInt(odd.length)]);
      } else {
        path.append(switch (part) {
          case "{type}" -> "SECOND_FACTOR_TYPE_OTP";
          case "{userId}" -> method.equals("DELETE") && template.equals("/v2/users/{userId}") ? "404404404" : user;
          default -> Long.toString(100_000 + random.nextInt(1_000_000));
        });
      }
    }
    return path.toString();
  }

  /** Content type, token and org header, some of them odd; returns what was sent (without the token). */
  private String oddHeaders(HttpRequest.Builder request, Random random, boolean body) {
    String[] types = {"application/json", "application/json", "application/json; charset=latin1", "APPLICATION/JSON",
      "application/json;;", "application/json, text/plain", "text/json", "application/problem+json"};
    String type = types[random.nextInt(types.length)];
    if (body) {
      request.header("Content-Type", type);
    }
    int auth = random.nextInt(10);
    switch (auth) {
      case 0 -> { }
      case 1 -> request.header("Authorization", "Bearer " + "a".repeat(random.nextInt(5000)));
      case 2 -> request.header("Authorization", "Basic YWRtaW46YWRtaW4=");
      case 3 -> request.header("Authorization", "Bearer " + admin.substring(0, admin.length() - 3) + "AAA");
      default -> request.header("Authorization", "Bearer " + admin);
    }
    String[] orgs = {"", "x".repeat(300), "1,2", org, "999", "%00"};
    String orgHeader = random.nextInt(4) == 0 ? orgs[random.nextInt(orgs.length)] : null;
    if (orgHeader != null) {
      request.header("x-zitadel-orgid", orgHeader);
    }
    if (random.nextInt(10) == 0) {
      request.header("Content-Encoding", "gzip");
    }
    return "[" + (body ? type : "") + " auth" + auth + (orgHeader == null ? "" : " org=" + orgHeader.length()) + "]";
  }

  /** A plausible body for a contract schema: ids of the fixture, strings "fuzz", numbers 1, the first real enum value. */
  private static JsonObject base(String ref, int depth) {
    JsonObject body = new JsonObject();
    if (ref == null || depth > 3) {
      return body;
    }
    JsonObject schema = schemas.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1), new JsonObject());
    schema.getJsonObject("properties", new JsonObject()).forEach(p -> {
      JsonObject property = (JsonObject) p.getValue();
      if (property.containsKey("$ref")) {
        JsonObject target = schemas.getJsonObject(property.getString("$ref").substring(property.getString("$ref").lastIndexOf('/') + 1));
        body.put(p.getKey(), target != null && target.containsKey("enum") ? target.getJsonArray("enum").getValue(
          Math.min(1, target.getJsonArray("enum").size() - 1)) : base(property.getString("$ref"), depth + 1));
        return;
      }
      Object value = switch (property.getString("type", "object")) {
        case "string" -> property.containsKey("enum") ? property.getJsonArray("enum").getValue(0)
          : p.getKey().toLowerCase().endsWith("id") ? (p.getKey().toLowerCase().contains("org") ? org : user) : "fuzz";
        case "integer", "number" -> 1;
        case "boolean" -> Boolean.TRUE;
        case "array" -> new io.vertx.core.json.JsonArray();
        default -> new JsonObject();
      };
      body.put(p.getKey(), value);
    });
    return body;
  }
}
