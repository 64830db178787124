package dev.mfaservice.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.mfaservice.support.JsonMutations.Input;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded mutations of protobuf request messages and of gRPC's length-prefixed frames: wire-type
 * mismatches, unknown fields, huge and overlong varints, deep groups and sub-messages, invalid
 * UTF-8, unknown enum numbers, truncation; frames whose length lies, compressed or trailer flags.
 */
final class ProtoMutations {
  private static final String[] KINDS = {"truncated", "wireType", "wireType", "unknownField", "hugeVarint",
    "overlongVarint", "hugeLength", "deepGroups", "deepMessages", "invalidUtf8", "controlChars", "unknownEnum",
    "randomBytes", "empty", "endGroup", "badTag"};
  private final Random random;

  ProtoMutations(Random random) {
    this.random = random;
  }

  /** A plausible request in proto3 JSON: ids from {@code ids} (by field name), strings "fuzz", numbers 1, the second enum value. */
  static JsonObject base(Descriptor type, Function<String, String> ids, int depth) {
    JsonObject json = new JsonObject();
    for (FieldDescriptor f : type.getFields()) {
      if (f.getRealContainingOneof() != null && f.getRealContainingOneof().getFields().get(0) != f || f.isMapField()) {
        continue;
      }
      Object value = switch (f.getJavaType()) {
        case STRING -> f.getName().toLowerCase().endsWith("id") ? ids.apply(f.getName()) : "fuzz";
        case INT, LONG -> 1;
        case BOOLEAN -> true;
        case ENUM -> f.getEnumType().getValues().get(Math.min(1, f.getEnumType().getValues().size() - 1)).getName();
        case MESSAGE -> f.getMessageType().getFullName().startsWith("google.protobuf.") || depth > 2 ? null
          : base(f.getMessageType(), ids, depth + 1);
        default -> null;
      };
      if (value != null) {
        json.put(f.getJsonName(), f.isRepeated() ? new io.vertx.core.json.JsonArray().add(value) : value);
      }
    }
    return json;
  }

  /** The binary form of {@link #base}, or nothing if it does not parse. */
  static byte[] binary(Descriptor type, JsonObject json) {
    try {
      DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
      JsonFormat.parser().ignoringUnknownFields().merge(json.encode(), builder);
      return builder.build().toByteArray();
    } catch (Exception e) {
      return new byte[0];
    }
  }

  Input mutate(Descriptor type, byte[] base) {
    String kind = KINDS[random.nextInt(KINDS.length)];
    List<FieldDescriptor> fields = type.getFields();
    FieldDescriptor field = fields.isEmpty() ? null : fields.get(random.nextInt(fields.size()));
    int number = field == null ? 1 : field.getNumber();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(base);
    switch (kind) {
      case "truncated" -> {
        return new Input(kind, Arrays.copyOf(base, base.length == 0 ? 0 : random.nextInt(base.length)));
      }
      case "wireType" -> {
        int wire = random.nextInt(6);
        tag(out, number, wire);
        switch (wire) {
          case 0 -> varint(out, random.nextLong());
          case 1 -> out.writeBytes(new byte[8]);
          case 2 -> lengthDelimited(out, new byte[] {0x08, (byte) 0x96, 0x01});
          case 5 -> out.writeBytes(new byte[4]);
          default -> { } // start or end group with nothing after
        }
        return new Input(kind + "@" + number + "/" + wire, out.toByteArray());
      }
      case "unknownField" -> {
        int unknown = 1000 + random.nextInt(536_000_000);
        tag(out, unknown, 2);
        lengthDelimited(out, new byte[random.nextInt(50)]);
      }
      case "hugeVarint" -> {
        tag(out, number, 0);
        out.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01}); // 2^64 - 1, ten bytes
      }
      case "overlongVarint" -> {
        tag(out, number, 0);
        byte[] overlong = new byte[10 + random.nextInt(10)];
        Arrays.fill(overlong, (byte) 0xFF);
        out.writeBytes(overlong);
      }
      case "hugeLength" -> {
        tag(out, number, 2);
        varint(out, random.nextBoolean() ? Long.MAX_VALUE : 0xFFFFFFFFL);
        out.writeBytes(new byte[] {1, 2, 3});
      }
      case "deepGroups" -> {
        int depth = 50 + random.nextInt(500);
        for (int i = 0; i < depth; i++) {
          tag(out, 1, 3);
        }
        for (int i = 0; i < depth; i++) {
          tag(out, 1, 4);
        }
      }
      case "deepMessages" -> {
        byte[] inner = {};
        int messageField = messageField(type);
        for (int i = 0, depth = 50 + random.nextInt(300); i < depth; i++) {
          ByteArrayOutputStream wrap = new ByteArrayOutputStream();
          tag(wrap, i == depth - 1 ? messageField : 1, 2);
          lengthDelimited(wrap, inner);
          inner = wrap.toByteArray();
        }
        out.writeBytes(inner);
      }
      case "invalidUtf8", "controlChars" -> {
        tag(out, stringField(type, number), 2);
        lengthDelimited(out, kind.equals("controlChars") ? new byte[] {'a', 0, 0x1b, 0x7f, '\n'}
          : new byte[] {(byte) 0xC3, 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF});
      }
      case "unknownEnum" -> {
        tag(out, enumField(type, number), 0);
        varint(out, random.nextBoolean() ? 999 : -1);
      }
      case "randomBytes" -> {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        return new Input(kind, bytes);
      }
      case "empty" -> {
        return new Input(kind, new byte[0]);
      }
      case "endGroup" -> tag(out, number, 4);
      default -> out.writeBytes(new byte[] {0x00}); // field number 0
    }
    return new Input(kind + "@" + number, out.toByteArray());
  }

  /** gRPC's 5-byte prefix before {@code message}, sometimes telling lies. */
  Input frame(Input message) {
    byte[] payload = message.bytes();
    int kind = random.nextInt(10);
    return switch (kind) {
      case 0 -> new Input(message.what() + "+longerPrefix", prefixed(0, payload.length + 1 + random.nextInt(1000), payload));
      case 1 -> new Input(message.what() + "+shorterPrefix", prefixed(0, Math.max(0, payload.length - 1 - random.nextInt(4)), payload));
      case 2 -> new Input(message.what() + "+hugePrefix", prefixed(0, random.nextBoolean() ? -1 : Integer.MAX_VALUE, payload));
      case 3 -> new Input(message.what() + "+compressedFlag", prefixed(1, payload.length, payload));
      case 4 -> new Input(message.what() + "+flag" + (kind = 0x80 | random.nextInt(0x80)), prefixed(kind, payload.length, payload));
      case 5 -> new Input("headerOnly" + random.nextInt(5), Arrays.copyOf(prefixed(0, payload.length, payload), random.nextInt(5)));
      case 6 -> new Input(message.what() + "+twoFrames", concat(prefixed(0, payload.length, payload), prefixed(0, payload.length, payload)));
      default -> new Input(message.what(), prefixed(0, payload.length, payload));
    };
  }

  static byte[] prefixed(int flag, int length, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length).put((byte) flag).putInt(length).put(payload).array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
  }

  private int stringField(Descriptor type, int fallback) {
    return type.getFields().stream().filter(f -> f.getJavaType() == FieldDescriptor.JavaType.STRING)
      .mapToInt(FieldDescriptor::getNumber).findFirst().orElse(fallback);
  }

  private int enumField(Descriptor type, int fallback) {
    return type.getFields().stream().filter(f -> f.getJavaType() == FieldDescriptor.JavaType.ENUM)
      .mapToInt(FieldDescriptor::getNumber).findFirst().orElse(fallback);
  }

  private int messageField(Descriptor type) {
    return type.getFields().stream().filter(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
      .mapToInt(FieldDescriptor::getNumber).findFirst().orElse(1);
  }

  private static void tag(ByteArrayOutputStream out, int number, int wire) {
    varint(out, ((long) number << 3) | wire);
  }

  private static void lengthDelimited(ByteArrayOutputStream out, byte[] bytes) {
    varint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
