package dev.mfaservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.ErrorBody;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The one error model: gRPC code → HTTP status, and the wire body of API.md. */
class ErrorMappingTest {

  @ParameterizedTest
  @CsvSource({
    "INVALID_ARGUMENT, 3, 400", "FAILED_PRECONDITION, 9, 400", "OUT_OF_RANGE, 11, 400",
    "UNAUTHENTICATED, 16, 401", "PERMISSION_DENIED, 7, 403", "NOT_FOUND, 5, 404",
    "ALREADY_EXISTS, 6, 409", "ABORTED, 10, 409", "RESOURCE_EXHAUSTED, 8, 429",
    "UNIMPLEMENTED, 12, 501", "INTERNAL, 13, 500", "UNAVAILABLE, 14, 503"})
  void grpcCodesMapToTheirHttpStatus(GrpcCode code, int number, int status) {
    assertEquals(number, code.number());
    assertEquals(status, code.httpStatus());
    assertEquals(status, new ApiError(code, "X-1", "text").httpStatus());
  }

  @Test
  void wireBodyCarriesCodeMessageWithIdAndAnErrorDetail() {
    JsonObject body = ErrorBody.of(ApiError.alreadyExists("COMMAND-do9se", "Multifactor OTP (OneTimePassword) is already set up"));
    assertEquals(new JsonObject()
      .put("code", 6)
      .put("message", "Multifactor OTP (OneTimePassword) is already set up (COMMAND-do9se)")
      .put("details", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("@type", "type.googleapis.com/zitadel.v1.ErrorDetail")
        .put("id", "COMMAND-do9se")
        .put("message", "Multifactor OTP (OneTimePassword) is already set up"))), body);
  }

  @Test
  void schemaViolationsNameTheDeepestFieldAndTheRuleButNotTheValue() {
    JsonObject schema = new JsonObject().put("type", "object").put("required", new io.vertx.core.json.JsonArray().add("a"))
      .put("properties", new JsonObject()
        .put("a", new JsonObject().put("type", "object").put("properties", new JsonObject()
          .put("code", new JsonObject().put("type", "string").put("maxLength", 3)))));
    Validator validator = Validator.create(JsonSchema.of(schema),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app:///").setOutputFormat(OutputFormat.Basic));
    OutputUnit result = validator.validate(new JsonObject().put("a", new JsonObject().put("code", "SECRET99")));
    ApiError error = SchemaViolations.toError(result, null);
    assertEquals(GrpcCode.INVALID_ARGUMENT, error.code());
    assertTrue(error.getMessage().startsWith("invalid request: a.code: "), error.getMessage());
    assertTrue(error.getMessage().endsWith("(maxLength)"), error.getMessage());
    assertTrue(!ErrorBody.of(error).encode().contains("SECRET99"), "the value is never echoed");

    OutputUnit missing = validator.validate(new JsonObject());
    assertEquals("invalid request: a: is required (required)", SchemaViolations.toError(missing, null).getMessage());
  }
}
