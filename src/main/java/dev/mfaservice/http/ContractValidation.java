package dev.mfaservice.http;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a request against its operation in the contract, on the event loop, before any
 * handler runs. The schemas are the contract's own (its SchemaRepository); what differs from
 * vertx-openapi's RequestValidator is that this parses the body once with {@link StrictJson}
 * and does not hop to the worker pool for every request (that validator runs in
 * executeBlocking). Parameters here are strings in path or header, style simple.
 */
final class ContractValidation implements Handler<RoutingContext> {
  private final Operation operation;
  private final Map<String, Validator> parameterValidators = new HashMap<>();
  private final Map<String, SimpleSchema> simpleParameters = new HashMap<>();
  private final Validator bodyValidator;
  private final boolean anyObjectBody;

  ContractValidation(OpenAPIContract contract, Operation operation) {
    this.operation = operation;
    SchemaRepository schemas = contract.getSchemaRepository();
    for (Parameter p : operation.getParameters()) {
      SimpleSchema.ofString(p.getSchema()).ifPresentOrElse(simple -> simpleParameters.put(p.getName(), simple),
        () -> parameterValidators.put(p.getName(), schemas.validator(p.getSchema())));
    }
    MediaType json = operation.getRequestBody() == null ? null
      : operation.getRequestBody().getContent().get("application/json");
    this.bodyValidator = json == null ? null : schemas.validator(json.getSchema());
    this.anyObjectBody = json != null && SimpleSchema.isAnyObject(json.getSchema());
  }

  @Override
  public void handle(RoutingContext ctx) {
    Map<String, String> parameters = parameters(ctx);
    JsonObject body = bodyValidator == null ? new JsonObject() : body(ctx);
    ctx.put(ValidRequest.KEY, new ValidRequest(body, parameters));
    ctx.next();
  }

  private Map<String, String> parameters(RoutingContext ctx) {
    Map<String, String> values = new HashMap<>();
    for (Parameter p : operation.getParameters()) {
      String value = switch (p.getIn()) {
        case PATH -> ctx.pathParam(p.getName());
        case HEADER -> ctx.request().getHeader(p.getName());
        case QUERY -> ctx.queryParams().get(p.getName());
        default -> null;
      };
      if (value == null || value.isEmpty()) {
        if (p.isRequired()) {
          throw ApiError.invalidArgument("API-validation", p.getIn().name().toLowerCase() + " parameter '"
            + p.getName() + "' is required");
        }
        continue;
      }
      SimpleSchema simple = simpleParameters.get(p.getName());
      if (simple != null) {
        simple.check(value, p.getName());
      } else {
        check(parameterValidators.get(p.getName()).validate(value), p.getName());
      }
      values.put(p.getName(), value);
    }
    return values;
  }

  private JsonObject body(RoutingContext ctx) {
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      // grpc-gateway reads an empty body as the empty message; SDKs send none for `{}` calls.
      JsonObject empty = new JsonObject();
      if (!anyObjectBody) {
        check(bodyValidator.validate(empty), null);
      }
      return empty;
    }
    requireJsonContentType(ctx);
    JsonObject body = StrictJson.parseObject(raw);
    if (!anyObjectBody) {
      check(bodyValidator.validate(body), null);
    }
    return body;
  }

  private static void requireJsonContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String bare = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase();
    if (!bare.equals("application/json")) {
      throw new ApiError(GrpcCode.INVALID_ARGUMENT, 415, "API-contentType",
        "the request body must be sent as Content-Type: application/json", List.of());
    }
  }

  /** Fails with 400 naming the field and the rule that failed. {@code parameter} null = the body. */
  private static void check(OutputUnit result, String parameter) {
    if (Boolean.TRUE.equals(result.getValid())) {
      return;
    }
    throw SchemaViolations.toError(result, parameter);
  }
}
