package dev.mfaservice.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * proto3 JSON between messages and Vert.x JSON objects, as protobuf's JsonFormat writes and
 * reads it (lowerCamel names, 64-bit integers as strings, enums by name, RFC 3339 timestamps,
 * "1.5s" durations, default values left out, unknown fields and enum names ignored) — without
 * JsonFormat's detour through a string and a Gson tree, which took ~40% of a Connect JSON call's
 * CPU. Struct and bytes are mapped too (WebAuthn options and credentials ride in them). Messages with a
 * type this does not map (Any, maps, floats, other well-known types) go through JsonFormat instead:
 * {@link #fast(Descriptor)} tells which.
 * ProtoJsonTest holds it to JsonFormat's output on every request and response type we serve.
 * Reading is {@link ProtoJsonReader}'s.
 */
final class ProtoJson {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final Map<Descriptor, Boolean> FAST = new ConcurrentHashMap<>();

  private ProtoJson() {
  }

  /** The message's proto3 JSON form. */
  static JsonObject toJson(Message message) {
    if (!fast(message.getDescriptorForType())) {
      try {
        return new JsonObject(PRINTER.print(message));
      } catch (InvalidProtocolBufferException e) {
        // no cause: protobuf's messages quote the offending value
        throw new IllegalStateException("message without a JSON form: " + message.getDescriptorForType().getFullName());
      }
    }
    return object(message);
  }

  /** Merges a proto3 JSON object into the builder; a value of the wrong kind fails. */
  static void merge(JsonObject json, Message.Builder builder) throws InvalidProtocolBufferException {
    if (!fast(builder.getDescriptorForType())) {
      PARSER.merge(json.encode(), builder);
      return;
    }
    try {
      ProtoJsonReader.mergeObject(json, builder);
    } catch (ClassCastException | IllegalArgumentException | ParseException | ArithmeticException | DateTimeParseException wrong) {
      throw new InvalidProtocolBufferException("a value does not fit its field");
    }
  }

  /** Whether this type (and every type it holds) is mapped here rather than by JsonFormat. */
  static boolean fast(Descriptor type) {
    Boolean known = FAST.get(type);
    if (known == null) {
      known = fast(type, new HashSet<>());
      FAST.put(type, known);
    }
    return known;
  }

  private static boolean fast(Descriptor type, Set<Descriptor> seen) {
    if (!seen.add(type)) {
      return true;
    }
    for (FieldDescriptor f : type.getFields()) {
      if (f.isMapField()) {
        return false;
      }
      switch (f.getJavaType()) {
        case FLOAT, DOUBLE -> {
          return false;
        }
        case MESSAGE -> {
          Descriptor m = f.getMessageType();
          boolean wellKnown = m.getFile().getPackage().equals("google.protobuf");
          if (wellKnown ? !(isTimestamp(m) || isDuration(m) || isStruct(m)) : !fast(m, seen)) {
            return false;
          }
        }
        default -> {
        }
      }
    }
    return true;
  }

  private static JsonObject object(Message message) {
    JsonObject json = new JsonObject();
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.isRepeated()) {
        JsonArray values = new JsonArray();
        for (Object v : (Iterable<?>) e.getValue()) {
          values.add(value(f, v));
        }
        json.put(f.getJsonName(), values);
      } else {
        json.put(f.getJsonName(), value(f, e.getValue()));
      }
    }
    return json;
  }

  private static Object value(FieldDescriptor f, Object v) {
    return switch (f.getType()) {
      case INT64, SINT64, SFIXED64 -> Long.toString((Long) v);
      case UINT64, FIXED64 -> Long.toUnsignedString((Long) v);
      case UINT32, FIXED32 -> Integer.toUnsignedLong((Integer) v);
      case BYTES -> Base64.getEncoder().encodeToString(((ByteString) v).toByteArray());
      case ENUM -> {
        EnumValueDescriptor value = (EnumValueDescriptor) v;
        yield value.getIndex() < 0 ? (Object) value.getNumber() : value.getName();
      }
      case MESSAGE, GROUP -> {
        Descriptor m = f.getMessageType();
        if (isTimestamp(m)) {
          yield timestamp((Timestamp) convert(v, Timestamp.getDefaultInstance()));
        }
        if (isDuration(m)) {
          yield Durations.toString((Duration) convert(v, Duration.getDefaultInstance()));
        }
        if (isStruct(m)) {
          yield StructJson.toJson((Struct) convert(v, Struct.getDefaultInstance()));
        }
        yield object((Message) v);
      }
      default -> v; // int32, sint32, sfixed32, bool, string
    };
  }

  static Message convert(Object v, Message type) {
    if (type.getClass().isInstance(v)) {
      return (Message) v;
    }
    try {
      return type.getParserForType().parseFrom(((Message) v).toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as JsonFormat writes it (ISO_INSTANT does
   * exactly that) — without protobuf's SimpleDateFormat, which cost a quarter of this class's time.
   */
  static String timestamp(Timestamp t) {
    if (!Timestamps.isValid(t)) {
      throw new IllegalArgumentException("timestamp out of range");
    }
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
  }

  /** RFC 3339 with any offset and up to 9 fraction digits, years 0001–9999. */
  static Timestamp timestamp(String text) {
    return ProtoJsonReader.timestamp(text);
  }

  static boolean isTimestamp(Descriptor m) {
    return m.getFullName().equals(Timestamp.getDescriptor().getFullName());
  }

  static boolean isStruct(Descriptor m) {
    return m.getFullName().equals(Struct.getDescriptor().getFullName());
  }

  static boolean isDuration(Descriptor m) {
    return m.getFullName().equals(Duration.getDescriptor().getFullName());
  }
}
