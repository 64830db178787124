package dev.mfaservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The direct checks give the generic JSON-schema validator's verdicts for the shapes they take over. */
class SimpleSchemaTest {
  private static final JsonObject ID = new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 200)
    .put("pattern", "^[!-~]+$");
  private static final JsonObject ENUM = new JsonObject().put("type", "string")
    .put("enum", new JsonArray().add("SECOND_FACTOR_TYPE_OTP").add("1"));

  @Test
  void sameVerdictsAsTheValidator() {
    List<String> values = List.of("", "a", "400849173651390465", "x".repeat(200), "x".repeat(201), "with space", "ünïcode",
      "tab\t", "SECOND_FACTOR_TYPE_OTP", "1", "2", "\u0000");
    for (JsonObject schema : List.of(ID, ENUM)) {
      Validator generic = Validator.create(JsonSchema.of(schema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app:///").setOutputFormat(OutputFormat.Basic));
      SimpleSchema direct = SimpleSchema.ofString(JsonSchema.of(schema)).orElseThrow();
      for (String value : values) {
        boolean validatorSays = generic.validate(value).getValid();
        boolean directSays = accepts(direct, value);
        assertEquals(validatorSays, directSays, schema.encode() + " on '" + value + "'");
      }
    }
  }

  @Test
  void refusalsNameTheFieldAndTheRule() {
    SimpleSchema direct = SimpleSchema.ofString(JsonSchema.of(ID)).orElseThrow();
    try {
      direct.check("x".repeat(201), "userId");
    } catch (ApiError e) {
      assertTrue(e.getMessage().startsWith("invalid request: userId: ") && e.getMessage().endsWith("(maxLength)"), e.getMessage());
      return;
    }
    throw new AssertionError("not refused");
  }

  @Test
  void otherShapesKeepTheGenericValidator() {
    assertTrue(SimpleSchema.ofString(JsonSchema.of(new JsonObject().put("type", "string").put("format", "email")
      .put("oneOf", new JsonArray()))).isEmpty());
    assertTrue(SimpleSchema.isAnyObject(JsonSchema.of(new JsonObject().put("type", "object"))));
    assertTrue(!SimpleSchema.isAnyObject(JsonSchema.of(new JsonObject().put("type", "object")
      .put("required", new JsonArray().add("code")))));
  }

  private static boolean accepts(SimpleSchema schema, String value) {
    try {
      schema.check(value, "field");
      return true;
    } catch (ApiError e) {
      return false;
    }
  }
}
