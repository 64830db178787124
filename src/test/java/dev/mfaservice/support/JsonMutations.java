package dev.mfaservice.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a valid JSON request body, for the fuzz tests of REST and the RPC JSON
 * forms: wrong types, huge numbers, deep nesting, long strings, control characters, duplicate
 * keys, invalid UTF-8, truncation, random bytes. Same seed, same inputs.
 */
public final class JsonMutations {
  /** One mutated body and what was done to it (printed with a failure). */
  public record Input(String what, byte[] bytes) {
  }

  private static final String[] KINDS = {"wrongType", "wrongType", "hugeNumber", "unknownField", "deepObject",
    "deepArray", "longString", "controlChars", "rawControlByte", "duplicateKey", "invalidUtf8", "loneSurrogate",
    "truncated", "notAnObject", "empty", "randomBytes", "bom", "trailingGarbage", "nullValue", "tooLarge"};
  private final Random random;

  public JsonMutations(Random random) {
    this.random = random;
  }

  /** A mutation of {@code base} (left unchanged). */
  public Input mutate(JsonObject base) {
    String kind = KINDS[random.nextInt(KINDS.length)];
    JsonObject copy = base.copy();
    return switch (kind) {
      case "wrongType" -> replace(copy, kind, wrongValue());
      case "hugeNumber" -> text(kind, replaceText(copy, pick("1e400", "-1e400", "123456789012345678901234567890",
        "18446744073709551616", "-9223372036854775809", "1.5", "-0", "1E-400", "0x10", "NaN", "Infinity")));
      case "unknownField" -> json(kind, copy.put("fuzz" + random.nextInt(1000), wrongValue()));
      case "deepObject" -> text(kind, nest(copy, "{\"a\":", "}", 30 + random.nextInt(2000)));
      case "deepArray" -> text(kind, nest(copy, "[", "]", 30 + random.nextInt(2000)));
      case "longString" -> replace(copy, kind, "x".repeat(200 + random.nextInt(12_000)));
      case "controlChars" -> replace(copy, kind, "a" + (char) random.nextInt(32) + "\u0000\u007f\u2028b");
      case "rawControlByte" -> text(kind, replaceText(copy, "\"a" + (char) random.nextInt(32) + "b\""));
      case "duplicateKey" -> duplicate(copy);
      case "invalidUtf8" -> invalidUtf8(copy);
      case "loneSurrogate" -> text(kind, replaceText(copy, "\"\\ud800x\""));
      case "truncated" -> truncated(copy);
      case "notAnObject" -> text(kind, pick("[]", "\"s\"", "1", "null", "true", "[{}]"));
      case "empty" -> new Input(kind, new byte[0]);
      case "randomBytes" -> new Input(kind, randomBytes(1 + random.nextInt(64)));
      case "bom" -> text(kind, "\uFEFF" + copy.encode());
      case "trailingGarbage" -> text(kind, copy.encode() + pick(" {}", "]", " x", "\u0000"));
      case "nullValue" -> replace(copy, kind, null);
      default -> replace(copy, kind, "y".repeat(20_000));
    };
  }

  public byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private Object wrongValue() {
    return switch (random.nextInt(9)) {
      case 0 -> random.nextInt();
      case 1 -> Long.MIN_VALUE;
      case 2 -> new JsonObject().put("a", "b");
      case 3 -> new JsonArray().add(1).add("x");
      case 4 -> random.nextBoolean();
      case 5 -> random.nextDouble() * 1e300;
      case 6 -> "";
      case 7 -> "SECOND_FACTOR_TYPE_UNSPECIFIED";
      default -> "not-a-" + random.nextInt(100);
    };
  }

  /** Replaces one value somewhere in the tree (a random path) by {@code value}, or adds it at the top. */
  private Input replace(JsonObject copy, String kind, Object value) {
    String at = put(copy, value);
    return json(kind + "@" + at, copy);
  }

  private String put(JsonObject object, Object value) {
    List<String> keys = new ArrayList<>(object.fieldNames());
    if (keys.isEmpty()) {
      object.put("fuzz", value);
      return "fuzz";
    }
    String key = keys.get(random.nextInt(keys.size()));
    if (object.getValue(key) instanceof JsonObject inner && random.nextBoolean()) {
      return key + "." + put(inner, value);
    }
    object.put(key, value);
    return key;
  }

  /** The body's text with one value replaced by raw JSON text (which JsonObject cannot hold). */
  private String replaceText(JsonObject copy, String rawValue) {
    String marker = "__FUZZ_" + random.nextInt(1_000_000) + "__";
    put(copy, marker);
    return copy.encode().replace("\"" + marker + "\"", rawValue);
  }

  private String nest(JsonObject copy, String open, String close, int depth) {
    String marker = "__FUZZ_NEST__";
    put(copy, marker);
    String nested = open.repeat(depth) + "1" + close.repeat(depth);
    return copy.encode().replace("\"" + marker + "\"", nested);
  }

  private Input duplicate(JsonObject copy) {
    String text = copy.encode();
    String key = copy.isEmpty() ? "fuzz" : new ArrayList<>(copy.fieldNames()).get(random.nextInt(copy.size()));
    return text("duplicateKey@" + key, "{\"" + key + "\":\"dup\"," + (copy.isEmpty() ? "\"" + key + "\":1}" : text.substring(1)));
  }

  private Input invalidUtf8(JsonObject copy) {
    String marker = "__FUZZ_UTF8__";
    put(copy, marker);
    String[] parts = copy.encode().split(marker, 2);
    byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xC0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(parts[0].getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bad[random.nextInt(bad.length)]);
    out.writeBytes(parts[1].getBytes(StandardCharsets.UTF_8));
    return new Input("invalidUtf8", out.toByteArray());
  }

  private Input truncated(JsonObject copy) {
    byte[] full = copy.encode().getBytes(StandardCharsets.UTF_8);
    int length = full.length <= 1 ? 0 : 1 + random.nextInt(full.length - 1);
    return new Input("truncated@" + length, java.util.Arrays.copyOf(full, length));
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private static Input json(String what, JsonObject body) {
    return text(what, body.encode());
  }

  private static Input text(String what, String body) {
    return new Input(what, body.getBytes(StandardCharsets.UTF_8));
  }
}
