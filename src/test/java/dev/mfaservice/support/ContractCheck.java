package dev.mfaservice.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * Every REST answer a test sees, checked against the contract as a generated SDK would read it:
 * the status is declared for the operation (the {@code default} answer only stands for the
 * HTTP layer's own refusals and server errors), the Content-Type is one the answer declares, and
 * the body is valid against the declared schema with no undeclared property anywhere
 * ({@code unevaluatedProperties: false} added test-side to every object schema that does not say
 * otherwise). A mismatch fails the test that saw it.
 */
public final class ContractCheck {
  /** What any operation may answer without listing it: the HTTP layer's refusals and server failures. */
  private static final Set<Integer> UNLISTED = Set.of(405, 413, 414, 415, 431, 500, 501, 503);
  private static ContractCheck instance;
  private static ContractCheck twilioVerify;

  private final StrictContract strict;
  private final OpenAPIContract contract;

  /** The operation whose 404 answer declares the contract's error body. */
  private final String errorOperation;

  private ContractCheck(StrictContract strict, OpenAPIContract contract, String errorOperation) {
    this.strict = strict;
    this.contract = contract;
    this.errorOperation = errorOperation;
  }

  /** The check of both contracts: ours, and the Twilio Verify one for {@code /v2/Services…}. */
  public static synchronized ContractCheck get() {
    if (instance == null) {
      instance = load(dev.mfaservice.http.ApiRouter.CONTRACT, "UserService_GetUserByID");
    }
    return instance;
  }

  private static synchronized ContractCheck twilioVerify() {
    if (twilioVerify == null) {
      twilioVerify = load(dev.mfaservice.twilioverify.TwilioVerify.CONTRACT, "FetchService");
    }
    return twilioVerify;
  }

  private static ContractCheck load(String file, String errorOperation) {
    StrictContract strict = StrictContract.of(read(Path.of(file)));
    Vertx vertx = Vertx.vertx();
    try {
      return new ContractCheck(strict, OpenAPIContract.from(vertx, formAsJson(strict.routable())).await(), errorOperation);
    } finally {
      vertx.close();
    }
  }

  /**
   * vertx-openapi refuses form-urlencoded request bodies (the Twilio contract's); only answers are checked here,
   * so those bodies are declared as JSON in the check's copy.
   */
  private static JsonObject formAsJson(JsonObject contract) {
    contract.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (op.getValue() instanceof JsonObject operation && operation.getJsonObject("requestBody") != null) {
        JsonObject content = operation.getJsonObject("requestBody").getJsonObject("content");
        Object form = content == null ? null : content.remove("application/x-www-form-urlencoded");
        if (form != null) {
          content.put("application/json", form);
        }
      }
    }));
    return contract;
  }

  private static boolean twilioPath(String path) {
    return path.equals("/v2/Services") || path.startsWith("/v2/Services/");
  }

  /**
   * Throws an AssertionError naming the operation and the difference when the answer breaks the
   * contract; else gives the operationId answered (null: an RPC path, or a path the contract lacks).
   */
  public String verify(String method, String pathAndQuery, Http.Reply reply) {
    String path = pathAndQuery.split("\\?", 2)[0];
    if (path.startsWith("/zitadel.") || path.startsWith("/grpc.")) {
      return null; // RPC paths: Connect's own error format, checked by the RPC tests
    }
    if (this == instance && twilioPath(path)) {
      return twilioVerify().verify(method, pathAndQuery, reply);
    }
    Operation op = contract.findOperation(path, io.vertx.core.http.HttpMethod.valueOf(method));
    if (op == null) {
      checkErrorOnly(method, path, reply);
      return null;
    }
    String name = op.getOperationId() + " (" + method + " " + path + " → " + reply.status() + ")";
    String declaredStatus = declaredStatus(op, reply.status(), name);
    Map<String, JsonObject> content = strict.content(op.getOperationId(), declaredStatus);
    String type = bareType(reply.contentType());
    if (content.isEmpty()) {
      require(reply.text().isEmpty(), name, "declares no body but got " + reply.text());
    } else {
      require(content.containsKey(type), name, "Content-Type '" + reply.contentType() + "' is not one of " + content.keySet());
      if (type.endsWith("json")) {
        Response response = declaredStatus.equals("default") ? op.getDefaultResponse() : op.getResponse(reply.status());
        check(name, response.getContent().get(type).getSchema(), reply.text());
      }
    }
    ContractCoverage.saw(op.getOperationId(), reply.status());
    return op.getOperationId();
  }

  private String declaredStatus(Operation op, int status, String name) {
    if (op.getResponse(status) != null) {
      return Integer.toString(status);
    }
    require(op.getDefaultResponse() != null && UNLISTED.contains(status), name, "status " + status + " is not declared");
    return "default";
  }

  /** A path the contract does not have: only an error in the error body may come back. */
  private void checkErrorOnly(String method, String path, Http.Reply reply) {
    String name = method + " " + path + " → " + reply.status() + " (no such operation)";
    require(reply.status() >= 400, name, "answered " + reply.status());
    require(bareType(reply.contentType()).equals("application/json"), name, "Content-Type " + reply.contentType());
    check(name, strict.errorSchema(contract, errorOperation), reply.text());
  }

  private void check(String name, io.vertx.json.schema.JsonSchema schema, String text) {
    Object body;
    try {
      body = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new AssertionError(name + ": the body is not JSON: " + text);
    }
    OutputUnit result = contract.getSchemaRepository().validator(schema).validate(body);
    if (!Boolean.TRUE.equals(result.getValid())) {
      String errors = result.getErrors() == null ? String.valueOf(result.getError()) : result.getErrors().stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getError() + " [" + e.getKeywordLocation() + "]")
        .distinct().collect(Collectors.joining("; "));
      throw new AssertionError(name + ": the body breaks the contract: " + errors + "\n  body: " + text);
    }
  }

  private static void require(boolean ok, String name, String problem) {
    if (!ok) {
      throw new AssertionError(name + ": " + problem);
    }
  }

  private static String bareType(String contentType) {
    return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  private static JsonObject read(Path file) {
    try {
      Map<String, Object> tree = new Yaml().load(Files.readString(file));
      return new JsonObject(tree);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the contract " + file, e);
    }
  }
}
