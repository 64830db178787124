package dev.mfaservice.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.mfaservice.proto.zitadel.management.v1.AddCustomLockoutPolicyRequest;
import dev.mfaservice.proto.zitadel.user.v2.GetUserByIDResponse;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ProtoJson must write and read exactly what protobuf's JsonFormat does, for every request and
 * response message we serve: checked on many randomly filled messages of each type (every oneof
 * member in turn, 64-bit and unsigned extremes, timestamps at every precision).
 */
class ProtoJsonTest {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  static Set<Descriptor> servedTypes() {
    Set<Descriptor> types = new LinkedHashSet<>();
    for (ServiceDescriptor service : RpcCatalog.services()) {
      for (MethodDescriptor method : service.getMethods()) {
        types.add(method.getInputType());
        types.add(method.getOutputType());
      }
    }
    return types;
  }

  @Test
  void writesAndReadsWhatJsonFormatDoesForEveryServedType() throws Exception {
    Random random = new Random(20261123);
    int fast = 0;
    for (Descriptor type : servedTypes()) {
      fast += ProtoJson.fast(type) ? 1 : 0;
      for (int round = 0; round < 40; round++) {
        Message message = fill(DynamicMessage.newBuilder(type), random, round, 0).build();
        JsonObject ours = ProtoJson.toJson(message);
        String theirs = PRINTER.print(message);
        assertEquals(new JsonObject(theirs), new JsonObject(ours.encode()), type.getFullName() + " written");
        DynamicMessage.Builder back = DynamicMessage.newBuilder(type);
        ProtoJson.merge(new JsonObject(theirs), back);
        DynamicMessage.Builder expected = DynamicMessage.newBuilder(type);
        PARSER.merge(theirs, expected);
        assertEquals(expected.build(), back.build(), type.getFullName() + " read");
        assertEquals(message, back.build(), type.getFullName() + " round trip");
      }
    }
    assertTrue(fast >= servedTypes().size() - 2, "all but two types (a map: userAgent.header) are mapped here: " + fast);
  }

  @Test
  void readsLikeJsonFormatWhereTheInputIsLoose() throws Exception {
    JsonObject loose = new JsonObject().put("max_otp_attempts", "7").put("maxPasswordAttempts", 3).put("unknown", true);
    AddCustomLockoutPolicyRequest.Builder ours = AddCustomLockoutPolicyRequest.newBuilder();
    ProtoJson.merge(loose, ours);
    AddCustomLockoutPolicyRequest.Builder theirs = AddCustomLockoutPolicyRequest.newBuilder();
    PARSER.merge(loose.encode(), theirs);
    assertEquals(theirs.build(), ours.build());
    assertEquals(7, ours.getMaxOtpAttempts());
  }

  @Test
  void timestampsAsProtobufWritesAndReadsThem() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      com.google.protobuf.Timestamp t = com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(random.nextLong(-62_135_596_800L, 253_402_300_799L))
        .setNanos(List.of(0, 5_000_000, 123_456_000, 999_999_999, random.nextInt(1_000_000_000)).get(i % 5)).build();
      String text = com.google.protobuf.util.Timestamps.toString(t);
      assertEquals(text, ProtoJson.timestamp(t));
      assertEquals(t, ProtoJson.timestamp(text));
    }
    for (String text : List.of("2026-11-23T13:00:00+01:00", "2026-11-23T12:00:00.5-00:30", "0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999999Z", "2026-11-23T12:00:00.1234Z")) {
      assertEquals(com.google.protobuf.util.Timestamps.parse(text), ProtoJson.timestamp(text), text);
    }
  }

  @Test
  void refusesValuesOfTheWrongKind() {
    for (JsonObject wrong : List.of(new JsonObject().put("maxOtpAttempts", "seven"),
      new JsonObject().put("maxOtpAttempts", 1.5), new JsonObject().put("maxOtpAttempts", -1),
      new JsonObject().put("maxOtpAttempts", new JsonObject()))) {
      assertThrows(InvalidProtocolBufferException.class, () -> ProtoJson.merge(wrong, AddCustomLockoutPolicyRequest.newBuilder()),
        wrong.encode());
    }
    assertThrows(InvalidProtocolBufferException.class, () -> ProtoJson.merge(new JsonObject().put("details",
      new JsonObject().put("changeDate", "yesterday")), GetUserByIDResponse.newBuilder()));
    assertTrue(ProtoJson.fast(dev.mfaservice.proto.zitadel.admin.v1.ListEventsResponse.getDescriptor()),
      "Struct is mapped here too (WebAuthn options and credentials ride in it on the session path)");
    assertThrows(InvalidProtocolBufferException.class, () -> ProtoJson.merge(new JsonObject().put("publicKeyCredential", "x"),
      dev.mfaservice.proto.zitadel.user.v2.VerifyU2FRegistrationRequest.newBuilder()));
  }

  private static Message.Builder fill(Message.Builder builder, Random random, int round, int depth) {
    Descriptor type = builder.getDescriptorForType();
    for (FieldDescriptor f : type.getFields()) {
      OneofDescriptor oneof = f.getRealContainingOneof();
      if (oneof != null && oneof.getField(round % oneof.getFieldCount()) != f) {
        continue; // one member per round, each in turn
      }
      if (random.nextInt(5) == 0 && oneof == null) {
        continue; // some fields left unset
      }
      if (f.isRepeated()) {
        for (int i = random.nextInt(3); i > 0; i--) {
          Object v = value(builder, f, random, round, depth);
          if (v != null) {
            builder.addRepeatedField(f, v);
          }
        }
      } else {
        Object v = value(builder, f, random, round, depth);
        if (v != null) {
          builder.setField(f, v);
        }
      }
    }
    return builder;
  }

  private static Object value(Message.Builder parent, FieldDescriptor f, Random random, int round, int depth) {
    return switch (f.getType()) {
      case STRING -> List.of("", "svc-1", "Grüße ✓", "a\"b\\c\n", "otpauth://totp/x?secret=ABC").get(random.nextInt(5));
      case BOOL -> random.nextBoolean();
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> List.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE,
        random.nextLong()).get(random.nextInt(6));
      case INT32, SINT32, SFIXED32, UINT32, FIXED32 -> List.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE,
        random.nextInt()).get(random.nextInt(6));
      case BYTES -> com.google.protobuf.ByteString.copyFrom(List.of(new byte[0], new byte[] {0, -1, 42},
        "{\"publicKey\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(random.nextInt(3)));
      case ENUM -> f.getEnumType().getValues().get(random.nextInt(f.getEnumType().getValues().size()));
      case MESSAGE -> {
        String name = f.getMessageType().getFullName();
        if (name.equals("google.protobuf.Timestamp")) {
          long nanos = List.of(0L, 123_000_000L, 123_456_000L, 123_456_789L).get(random.nextInt(4));
          yield com.google.protobuf.Timestamp.newBuilder().setSeconds(random.nextInt(2_000_000_000)).setNanos((int) nanos).build();
        }
        if (name.equals("google.protobuf.Duration")) {
          yield com.google.protobuf.Duration.newBuilder().setSeconds(random.nextInt(100_000))
            .setNanos(random.nextBoolean() ? 0 : 500_000_000).build();
        }
        if (name.equals("google.protobuf.Struct")) {
          yield com.google.protobuf.Struct.newBuilder().putFields("k", com.google.protobuf.Value.newBuilder()
            .setStringValue("v").build()).build();
        }
        yield depth > 4 ? null : fill(parent.newBuilderForField(f), random, round, depth + 1).build();
      }
      default -> throw new IllegalStateException("no filler for " + f.getType() + " in " + f.getFullName());
    };
  }
}
