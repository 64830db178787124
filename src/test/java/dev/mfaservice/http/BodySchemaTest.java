package dev.mfaservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compiled body schemas never let through what the generic validator refuses: for every operation of the contract
 * that takes a JSON body, thousands of bodies generated from its schema (valid ones, and ones with a wrong type, a
 * missing or unknown field, a string too long or off its pattern, a number out of bounds or not whole, non-BMP
 * characters) are judged by both. And they are not idle: most bodies the validator accepts, they accept too.
 */
class BodySchemaTest {
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static JsonObject raw;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    vertx = Vertx.vertx();
    raw = new JsonObject((Map<String, Object>) new Yaml().load(Files.readString(Path.of(ApiRouter.CONTRACT))));
    contract = OpenAPIContract.from(vertx, ApiRouter.routable(raw.copy())).await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  void neverLooserThanTheValidatorAndMostlyDecidesAlone() {
    Random random = new Random(20261205);
    Map<String, String> uncompiled = new TreeMap<>();
    int operations = 0;
    for (Operation operation : contract.operations()) {
      MediaType json = operation.getRequestBody() == null ? null : operation.getRequestBody().getContent().get("application/json");
      if (json == null) {
        continue;
      }
      JsonObject schema = ContractValidation.bodySchema(raw, operation).orElseThrow();  // as ContractValidation takes it
      var compiled = BodySchema.compile(raw, schema);
      if (compiled.isEmpty()) {
        uncompiled.put(operation.getOperationId(), EnumNumbers.resolve(raw, schema).encode());
        continue;
      }
      operations++;
      Predicate<Object> fast = compiled.get();
      var validator = contract.getSchemaRepository().validator(json.getSchema());
      Generator generator = new Generator(random);
      int validatorAccepts = 0;
      int bothAccept = 0;
      for (int i = 0; i < 400; i++) {
        Object body = generator.value(schema, i % 4 == 0, 0);
        if (!(body instanceof Map<?, ?> map)) {
          continue;
        }
        @SuppressWarnings("unchecked")
        JsonObject instance = new JsonObject((Map<String, Object>) map);
        boolean accepted = Boolean.TRUE.equals(validator.validate(instance).getValid());
        boolean fastAccepts = fast.test(instance);
        assertFalse(fastAccepts && !accepted, operation.getOperationId() + " let through " + instance.encode());
        validatorAccepts += accepted ? 1 : 0;
        bothAccept += accepted && fastAccepts ? 1 : 0;
      }
      assertTrue(bothAccept >= validatorAccepts * 0.8, operation.getOperationId() + ": the compiled schema accepted "
        + bothAccept + " of the " + validatorAccepts + " bodies the validator accepted");
    }
    assertEquals(Map.of(), uncompiled, "operations whose body schema did not compile");
    assertTrue(operations >= 20, operations + " operations");
  }

  @Test
  void vertxOpenapisProxiedSchemasAreNotCompiled() {
    // they answer reads through their reference: compiled, a reference would check nothing
    Operation operation = contract.operation("UserService_VerifyTOTPRegistration");
    JsonObject proxied = contract.getRawContract().getJsonObject("components").getJsonObject("requestBodies")
      .getJsonObject("Code").getJsonObject("content").getJsonObject("application/json").getJsonObject("schema");
    assertTrue(BodySchema.compile(contract.getRawContract(), proxied).isEmpty(), proxied.getClass().getName());
    assertTrue(BodySchema.compile(raw, ContractValidation.bodySchema(raw, operation).orElseThrow()).isPresent());
  }

  @Test
  void unknownKeywordsAreNotCompiled() {
    assertTrue(BodySchema.compile(raw, new JsonObject().put("type", "object").put("oneOf", new JsonArray())).isEmpty());
    assertTrue(BodySchema.compile(raw, new JsonObject().put("type", "string").put("const", "x")).isEmpty());
  }

  /** Values from a schema: valid ones, or (when {@code spoil}) with one mistake somewhere now and then. */
  private static final class Generator {
    private final Random random;

    Generator(Random random) {
      this.random = random;
    }

    Object value(JsonObject schema, boolean spoil, int depth) {
      JsonObject s = resolved(schema);
      if (spoil && random.nextInt(6) == 0) {
        return wrong();
      }
      Object type = s.getValue("type");
      if (type == null && s.getJsonArray("allOf") != null) {
        return value(s.getJsonArray("allOf").getJsonObject(0), spoil, depth);
      }
      String t = type instanceof JsonArray a ? a.getString(random.nextInt(a.size())) : String.valueOf(type);
      switch (t) {
        case "object" -> {
          Map<String, Object> object = new LinkedHashMap<>();
          JsonObject properties = s.getJsonObject("properties", new JsonObject());
          List<String> required = s.getJsonArray("required", new JsonArray()).getList();
          for (String name : properties.fieldNames()) {
            boolean must = required.contains(name);
            if ((must && !(spoil && random.nextInt(10) == 0)) || (depth < 4 && random.nextInt(3) == 0)) {
              object.put(name, value(properties.getJsonObject(name), spoil, depth + 1));
            }
          }
          if (spoil && random.nextInt(8) == 0 || s.getValue("additionalProperties") instanceof JsonObject) {
            Object additional = s.getValue("additionalProperties");
            object.put("extra" + random.nextInt(3), additional instanceof JsonObject a ? value(a, spoil, depth + 1) : wrong());
          }
          return object;
        }
        case "array" -> {
          List<Object> list = new ArrayList<>();
          int n = random.nextInt(spoil ? 12 : 4);
          for (int i = 0; i < n && depth < 5; i++) {
            list.add(s.getJsonObject("items") == null ? "x" : value(s.getJsonObject("items"), spoil, depth + 1));
          }
          return list;
        }
        case "integer", "number" -> {
          long min = s.getValue("minimum") instanceof Number m ? m.longValue() : -5;
          long max = s.getValue("maximum") instanceof Number m ? m.longValue() : 100_000;
          return switch (spoil ? random.nextInt(6) : 0) {
            case 1 -> max + 1;
            case 2 -> min - 1;
            case 3 -> 2.5;
            case 4 -> 7.0;
            case 5 -> new BigInteger("123456789012345678901234567890");
            default -> min + (long) random.nextInt((int) Math.min(max - min + 1, 1000));
          };
        }
        case "boolean" -> {
          return random.nextBoolean();
        }
        case "string" -> {
          return string(s, spoil);
        }
        default -> {
          return wrong();
        }
      }
    }

    private String string(JsonObject s, boolean spoil) {
      JsonArray values = s.getJsonArray("enum");
      if (values != null && !(spoil && random.nextInt(4) == 0)) {
        return values.getString(random.nextInt(values.size()));
      }
      if ("date-time".equals(s.getString("format")) && !(spoil && random.nextInt(3) == 0)) {
        return "2026-12-05T08:0" + random.nextInt(10) + ":00Z";
      }
      if ("byte".equals(s.getString("format")) && !(spoil && random.nextInt(3) == 0)) {
        return java.util.Base64.getEncoder().encodeToString(new byte[random.nextInt(20)]);
      }
      int max = s.getInteger("maxLength", 40);
      int min = s.getInteger("minLength", 0);
      int length = spoil && random.nextInt(4) == 0 ? max + 1 + random.nextInt(3) : min + random.nextInt(Math.max(1, Math.min(max, 40) - min + 1));
      String[] alphabets = {"0123456789", "abcdefXYZ-_.@", "😀ü\u00e9 ", "\ud83d"};
      String alphabet = alphabets[spoil ? random.nextInt(alphabets.length) : random.nextInt(2)];
      StringBuilder out = new StringBuilder();
      while (out.codePointCount(0, out.length()) < length) {
        int at = random.nextInt(alphabet.length());
        out.append(Character.isHighSurrogate(alphabet.charAt(at)) && at + 1 < alphabet.length()
          ? alphabet.substring(at, at + 2) : alphabet.substring(at, at + 1));
      }
      return out.toString();
    }

    private Object wrong() {
      return switch (random.nextInt(6)) {
        case 0 -> null;
        case 1 -> "text";
        case 2 -> 42;
        case 3 -> true;
        case 4 -> new ArrayList<>(List.of(1));
        default -> new LinkedHashMap<>(Map.of("k", "v"));
      };
    }

    private JsonObject resolved(JsonObject schema) {
      return EnumNumbers.resolve(raw, schema);
    }
  }
}
