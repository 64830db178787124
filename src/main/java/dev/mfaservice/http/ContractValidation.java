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
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Validates a request against its operation in the contract, on the event loop, before any
 * handler runs. The schemas are the contract's own (its SchemaRepository); what differs from
 * vertx-openapi's RequestValidator is that this parses the body once with {@link StrictJson}
 * and does not hop to the worker pool for every request (that validator runs in
 * executeBlocking); and that a body its compiled schema passes (BodySchema) skips the generic
 * validator. Parameters here are strings in path or header, style simple.
 */
final class ContractValidation implements Handler<RoutingContext> {
  private static final String KEY = "mfa.validRequest";
  private final Operation operation;
  private final Map<String, Validator> parameterValidators = new HashMap<>();
  private final Map<String, SimpleSchema> simpleParameters = new HashMap<>();
  private final Validator bodyValidator;
  private final boolean anyObjectBody;
  private final EnumNumbers enumNumbers;
  /** The body's compiled schema (BodySchema): a body it passes needs no generic validation; else the validator decides. */
  private final Predicate<Object> surelyValid;

  /** @param parsed the contract as parsed (plain JSON, "#/" references), where BodySchema compiles the body's schema */
  ContractValidation(OpenAPIContract contract, JsonObject parsed, Operation operation) {
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
    JsonObject raw = contract.getRawContract();
    this.enumNumbers = EnumNumbers.of(raw, operation.getOpenAPIModel(),
      raw.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath()).getJsonArray("parameters"));
    this.surelyValid = bodySchema(parsed, operation).flatMap(schema -> BodySchema.compile(parsed, schema))
      .orElse(body -> false);
  }

  /** The operation's JSON body schema as the parsed contract writes it (local $refs kept), if it takes one. */
  static Optional<JsonObject> bodySchema(JsonObject parsed, Operation operation) {
    JsonObject model = parsed.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
      .getJsonObject(operation.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT));
    JsonObject body = EnumNumbers.resolve(parsed, model.getJsonObject("requestBody"));
    JsonObject json = body == null ? null : body.getJsonObject("content", new JsonObject()).getJsonObject("application/json");
    return Optional.ofNullable(json == null ? null : json.getJsonObject("schema"));
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = bodyValidator == null ? null : httpBody(ctx);
    ctx.put(KEY, validate(p -> switch (p.getIn()) {
      case PATH -> ctx.pathParam(p.getName());
      case HEADER -> ctx.request().getHeader(p.getName());
      case QUERY -> ctx.queryParams().get(p.getName());
      default -> null;
    }, body));
    ctx.next();
  }

  static ValidRequest validRequest(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The operation's parameters: path, query and header, as the contract declares them. */
  List<Parameter> parameters() {
    return operation.getParameters();
  }

  /**
   * Checks the parameters (read through {@code values}) and the body (null when none was sent)
   * against the operation, or throws the 400 naming the field and the rule.
   */
  ValidRequest validate(Function<Parameter, String> values, JsonObject body) {
    Map<String, String> parameters = parameters(values);
    return new ValidRequest(bodyValidator == null ? new JsonObject() : checkedBody(body), parameters);
  }

  private Map<String, String> parameters(Function<Parameter, String> values) {
    Map<String, String> checked = new HashMap<>();
    for (Parameter p : operation.getParameters()) {
      String value = enumNumbers.parameter(p.getName(), values.apply(p));
      ControlCharacters.check(p.getName(), value);
      if (value == null || value.isEmpty()) {
        if (p.isRequired()) {
          throw ApiError.invalidArgument("API-validation", p.getIn().name().toLowerCase(java.util.Locale.ROOT) + " parameter '"
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
      checked.put(p.getName(), value);
    }
    return checked;
  }

  private JsonObject checkedBody(JsonObject body) {
    // grpc-gateway reads an empty body as the empty message; SDKs send none for `{}` calls.
    JsonObject checked = body == null ? new JsonObject() : enumNumbers.body(body);
    ControlCharacters.check(checked);
    if (!anyObjectBody && !surelyValid.test(checked)) {
      check(bodyValidator.validate(checked), null);
    }
    return checked;
  }

  /**
   * The JSON body, or null when none was sent. A body of another type is refused even when
   * Vert.x read nothing from it (a multipart form would otherwise pass as {@code {}}: SEC V1).
   */
  private static JsonObject httpBody(RoutingContext ctx) {
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    boolean empty = raw == null || raw.length() == 0;
    if (!empty || ctx.request().getHeader("Content-Type") != null) {
      requireJsonContentType(ctx);
    }
    return empty ? null : StrictJson.parseObject(raw);
  }

  private static void requireJsonContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String bare = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
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
