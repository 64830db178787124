package dev.mfaservice.rpc;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * google.protobuf.Struct as the JSON object it stands for, both ways, as JsonFormat maps it — except that a whole
 * number is written without ".0" (JSON has one number type; `-7` and `-7.0` are the same value to every reader, and
 * WebAuthn's options read better with `"alg": -7`).
 */
final class StructJson {
  /** Doubles hold every integer up to 2^53 exactly. */
  private static final double EXACT = 9007199254740992d;

  private StructJson() {
  }

  static JsonObject toJson(Struct struct) {
    JsonObject json = new JsonObject();
    for (Map.Entry<String, Value> e : struct.getFieldsMap().entrySet()) {
      json.put(e.getKey(), value(e.getValue()));
    }
    return json;
  }

  static Struct fromJson(JsonObject json) {
    Struct.Builder struct = Struct.newBuilder();
    for (Map.Entry<String, Object> e : json) {
      struct.putFields(e.getKey(), value(e.getValue()));
    }
    return struct.build();
  }

  private static Object value(Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE -> null;
      case BOOL_VALUE -> v.getBoolValue();
      case STRING_VALUE -> v.getStringValue();
      case NUMBER_VALUE -> number(v.getNumberValue());
      case STRUCT_VALUE -> toJson(v.getStructValue());
      case LIST_VALUE -> {
        JsonArray list = new JsonArray();
        v.getListValue().getValuesList().forEach(item -> list.add(value(item)));
        yield list;
      }
      case KIND_NOT_SET -> throw new IllegalArgumentException("a Value without a kind has no JSON form");
    };
  }

  private static Object number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JSON has no NaN or infinity");
    }
    return d == Math.rint(d) && Math.abs(d) <= EXACT ? (Object) (long) d : (Object) d;
  }

  private static Value value(Object v) {
    Value.Builder value = Value.newBuilder();
    if (v == null) {
      return value.setNullValue(NullValue.NULL_VALUE).build();
    }
    if (v instanceof Boolean b) {
      return value.setBoolValue(b).build();
    }
    if (v instanceof String s) {
      return value.setStringValue(s).build();
    }
    if (v instanceof Number n) {
      return value.setNumberValue(n.doubleValue()).build();
    }
    if (v instanceof JsonObject o) {
      return value.setStructValue(fromJson(o)).build();
    }
    if (v instanceof JsonArray a) {
      ListValue.Builder list = ListValue.newBuilder();
      a.forEach(item -> list.addValues(value(item)));
      return value.setListValue(list).build();
    }
    throw new IllegalArgumentException("not a JSON value");
  }
}
