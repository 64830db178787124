package dev.mfaservice.rpc;

import static dev.mfaservice.rpc.ProtoJson.convert;
import static dev.mfaservice.rpc.ProtoJson.isDuration;
import static dev.mfaservice.rpc.ProtoJson.isStruct;
import static dev.mfaservice.rpc.ProtoJson.isTimestamp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * proto3 JSON read into a message builder the way JsonFormat reads it (both field names, 64-bit
 * integers as strings or numbers, enums by name or number, unknown fields and enum names ignored):
 * the reading half of {@link ProtoJson}, for the types it maps.
 */
final class ProtoJsonReader {
  private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS = new ConcurrentHashMap<>();

  private ProtoJsonReader() {
  }

  static void mergeObject(JsonObject json, Message.Builder builder) throws ParseException {
    Map<String, FieldDescriptor> fields = FIELDS.computeIfAbsent(builder.getDescriptorForType(), ProtoJsonReader::byName);
    for (Map.Entry<String, Object> e : json) {
      FieldDescriptor f = fields.get(e.getKey());
      if (f == null || e.getValue() == null) {
        continue; // unknown fields are ignored, null is the default
      }
      if (f.isRepeated()) {
        for (Object v : (JsonArray) e.getValue()) {
          Object parsed = parse(f, v, builder);
          if (parsed != null) {
            builder.addRepeatedField(f, parsed);
          }
        }
      } else {
        Object parsed = parse(f, e.getValue(), builder);
        if (parsed != null) {
          builder.setField(f, parsed);
        }
      }
    }
  }

  private static Object parse(FieldDescriptor f, Object v, Message.Builder parent) throws ParseException {
    return switch (f.getType()) {
      case INT64, SINT64, SFIXED64 -> v instanceof Number n ? exactLong(n) : Long.parseLong((String) v);
      case UINT64, FIXED64 -> v instanceof Number n ? exactLong(n) : Long.parseUnsignedLong((String) v);
      case INT32, SINT32, SFIXED32 -> Math.toIntExact(v instanceof Number n ? exactLong(n) : Long.parseLong((String) v));
      case UINT32, FIXED32 -> {
        long value = v instanceof Number n ? exactLong(n) : Long.parseLong((String) v);
        if (value < 0 || value > 0xFFFFFFFFL) {
          throw new IllegalArgumentException("out of range");
        }
        yield (int) value;
      }
      case BOOL -> (Boolean) v;
      case STRING -> (String) v;
      case BYTES -> ByteString.copyFrom(bytes((String) v));
      case ENUM -> v instanceof Number n ? f.getEnumType().findValueByNumber(n.intValue())
        : f.getEnumType().findValueByName((String) v); // unknown names: null, ignored as JsonFormat does
      case MESSAGE, GROUP -> {
        Descriptor m = f.getMessageType();
        if (isTimestamp(m)) {
          yield convert(timestamp((String) v), parent.newBuilderForField(f).getDefaultInstanceForType());
        }
        if (isDuration(m)) {
          yield convert(Durations.parse((String) v), parent.newBuilderForField(f).getDefaultInstanceForType());
        }
        if (isStruct(m)) {
          yield convert(StructJson.fromJson((JsonObject) v), parent.newBuilderForField(f).getDefaultInstanceForType());
        }
        Message.Builder nested = parent.newBuilderForField(f);
        mergeObject((JsonObject) v, nested);
        yield nested.build();
      }
      default -> throw new IllegalArgumentException("unmapped type " + f.getType());
    };
  }

  private static long exactLong(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("not an integer");
      }
      return (long) d;
    }
    if (n instanceof java.math.BigInteger b) {
      return b.longValueExact();
    }
    if (n instanceof java.math.BigDecimal b) {
      return b.longValueExact();
    }
    return n.longValue();
  }

  /** Fields by JSON name and by proto name, as JsonFormat accepts both. */
  private static Map<String, FieldDescriptor> byName(Descriptor type) {
    Map<String, FieldDescriptor> fields = new HashMap<>();
    for (FieldDescriptor f : type.getFields()) {
      fields.put(f.getName(), f);
      fields.put(f.getJsonName(), f);
    }
    return Map.copyOf(fields);
  }

  /** RFC 3339 with any offset and up to 9 fraction digits, years 0001–9999. */
  static Timestamp timestamp(String text) {
    OffsetDateTime at = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    Instant instant = at.toInstant();
    Timestamp t = Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    if (!Timestamps.isValid(t)) {
      throw new IllegalArgumentException("timestamp out of range");
    }
    return t;
  }

  /** Base64 as JsonFormat reads it: the standard alphabet, else the URL-safe one; padding optional. */
  private static byte[] bytes(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notStandard) {
      return Base64.getUrlDecoder().decode(text);
    }
  }
}
