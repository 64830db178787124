package dev.mfaservice.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * proto3 cannot tell a number left out from 0, and leaves 0 out of the JSON form. Requests that
 * set a whole policy mean 0 by a number left out (lockout {@code maxOtpAttempts: 0} = off), so
 * theirs are always sent. Elsewhere a left-out number stays "not given" (ListEvents' limit).
 */
final class WholePolicy implements RpcAdapter {
  static final Set<String> REQUESTS = Set.of("zitadel.management.v1.AddCustomLockoutPolicyRequest",
    "zitadel.management.v1.UpdateCustomLockoutPolicyRequest", "zitadel.admin.v1.UpdateLockoutPolicyRequest");
  private static final Set<FieldDescriptor.JavaType> NUMBERS = Set.of(FieldDescriptor.JavaType.INT, FieldDescriptor.JavaType.LONG);
  private final Descriptor type;

  WholePolicy(Descriptor type) {
    this.type = type;
  }

  @Override
  public JsonObject request(JsonObject body) {
    for (FieldDescriptor field : type.getFields()) {
      if (!field.hasPresence() && !field.isRepeated() && NUMBERS.contains(field.getJavaType())
        && !body.containsKey(field.getJsonName())) {
        body.put(field.getJsonName(), 0);
      }
    }
    return body;
  }
}
