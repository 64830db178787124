package dev.mfaservice.http;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.GrpcCode;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JSON-schema validation result into a 400 that names the field and the rule, e.g.
 * {@code "username: String is too long (maxLength)"}, with every violation listed as a
 * google.rpc.BadRequest field violation in {@code details}. The value is never echoed (SEC V4).
 */
final class SchemaViolations {
  /** Keywords that only say "something below failed". */
  private static final Set<String> WRAPPERS = Set.of("properties", "items", "$ref", "allOf", "anyOf", "oneOf",
    "not", "if", "then", "else", "dependentSchemas", "additionalProperties", "prefixItems", "");

  private SchemaViolations() {
  }

  static ApiError toError(OutputUnit result, String parameter) {
    List<Violation> violations = new ArrayList<>();
    collect(result, parameter, violations);
    if (violations.isEmpty()) {
      violations.add(new Violation(parameter == null ? "body" : parameter, "invalid value", "schema"));
    }
    // The deepest violation is the most specific one; oneOf branches report many.
    violations.sort(Comparator.comparingInt((Violation v) -> -v.field().length()));
    Violation first = violations.get(0);
    List<Map<String, Object>> fieldViolations = violations.stream().distinct().limit(10)
      .map(v -> (Map<String, Object>) new LinkedHashMap<String, Object>(Map.of("field", v.field(),
        "description", v.description() + " (" + v.rule() + ")")))
      .toList();
    Map<String, Object> badRequest = new LinkedHashMap<>();
    badRequest.put("@type", "type.googleapis.com/google.rpc.BadRequest");
    badRequest.put("fieldViolations", fieldViolations);
    return new ApiError(GrpcCode.INVALID_ARGUMENT, "API-validation",
      "invalid request: " + first.field() + ": " + first.description() + " (" + first.rule() + ")",
      List.of(badRequest));
  }

  private static void collect(OutputUnit unit, String parameter, List<Violation> into) {
    if (unit.getErrors() != null) {
      unit.getErrors().forEach(child -> collect(child, parameter, into));
    }
    if (unit.getError() == null || unit.getKeywordLocation() == null) {
      return;
    }
    String rule = lastSegment(unit.getKeywordLocation());
    if (WRAPPERS.contains(rule)) {
      return;
    }
    String description = rule.equals("required") ? "is required" : unit.getError();
    into.add(new Violation(field(unit.getInstanceLocation(), parameter, rule, unit.getError()), description, rule));
  }

  /** "/email/email" → "email.email"; a missing property is named by the property, not its parent. */
  private static String field(String instanceLocation, String parameter, String rule, String error) {
    String path = instanceLocation == null ? "" : instanceLocation.replaceFirst("^#?/?", "").replace('/', '.');
    if (rule.equals("required")) {
      String missing = quoted(error);
      if (missing != null) {
        path = path.isEmpty() ? missing : path + "." + missing;
      }
    }
    if (parameter != null) {
      return parameter;
    }
    return path.isEmpty() ? "body" : path;
  }

  private static String quoted(String error) {
    int start = error.indexOf('"');
    int end = start < 0 ? -1 : error.indexOf('"', start + 1);
    return end > start ? error.substring(start + 1, end) : null;
  }

  private static String lastSegment(String keywordLocation) {
    int slash = keywordLocation.lastIndexOf('/');
    return slash < 0 ? keywordLocation : keywordLocation.substring(slash + 1);
  }

  private record Violation(String field, String description, String rule) {
  }
}
