package dev.mfaservice.http;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.core.json.JsonArray;
import io.vertx.json.schema.JsonSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The contract's simplest schemas checked directly: a string with length bounds, a pattern or an
 * enum (path and header parameters), and an object with no constraints (the `{}` bodies).
 * The generic JSON-schema validator costs about a fifth of an authenticated GET's CPU (JFR under
 * load); these checks give the same verdicts and the same error shape for these shapes only.
 * Any other schema keeps the generic validator.
 */
final class SimpleSchema {
  private static final Set<String> STRING_KEYS = Set.of("type", "minLength", "maxLength", "pattern", "enum", "description",
    "__absolute_uri__");
  private static final Set<String> OBJECT_KEYS = Set.of("type", "description", "__absolute_uri__");

  private final int minLength;
  private final int maxLength;
  private final Pattern pattern;
  private final List<Object> allowed;

  private SimpleSchema(int minLength, int maxLength, Pattern pattern, List<Object> allowed) {
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.pattern = pattern;
    this.allowed = allowed;
  }

  /** A checker for a plain string schema, if the schema is one. */
  static Optional<SimpleSchema> ofString(JsonSchema schema) {
    if (!"string".equals(schema.get("type")) || !STRING_KEYS.containsAll(schema.fieldNames())) {
      return Optional.empty();
    }
    Object patternText = schema.get("pattern");
    JsonArray values = schema.get("enum");
    return Optional.of(new SimpleSchema(number(schema.get("minLength"), 0), number(schema.get("maxLength"), Integer.MAX_VALUE),
      patternText == null ? null : Pattern.compile(String.valueOf(patternText)), values == null ? null : values.getList()));
  }

  /** True for {@code {type: object}} with nothing else to check: every JSON object passes. */
  static boolean isAnyObject(JsonSchema schema) {
    return "object".equals(schema.get("type")) && OBJECT_KEYS.containsAll(schema.fieldNames());
  }

  /** Fails with the 400 of SchemaViolations: the field, what is wrong, the rule. */
  void check(String value, String field) {
    int length = value.codePointCount(0, value.length());
    if (length < minLength) {
      throw violation(field, "String is too short, expected at least " + minLength + " characters", "minLength");
    }
    if (length > maxLength) {
      throw violation(field, "String is too long, expected at most " + maxLength + " characters", "maxLength");
    }
    if (pattern != null && !pattern.matcher(value).find()) {
      throw violation(field, "String does not match pattern " + pattern.pattern(), "pattern");
    }
    if (allowed != null && !allowed.contains(value)) {
      throw violation(field, "Instance does not match any of " + new JsonArray(allowed).encode(), "enum");
    }
  }

  static ApiError violation(String field, String description, String rule) {
    Map<String, Object> badRequest = Map.of("@type", "type.googleapis.com/google.rpc.BadRequest",
      "fieldViolations", List.of(Map.of("field", field, "description", description + " (" + rule + ")")));
    return new ApiError(GrpcCode.INVALID_ARGUMENT, "API-validation",
      "invalid request: " + field + ": " + description + " (" + rule + ")", List.of(badRequest));
  }

  private static int number(Object value, int fallback) {
    return value instanceof Number n ? n.intValue() : fallback;
  }
}
