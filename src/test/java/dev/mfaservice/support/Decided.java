package dev.mfaservice.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.errors.GrpcCode;

/**
 * What a write model should decide, for table-driven tests: accepted with a value, or refused with the error the
 * caller sees (gRPC code, error id and message, exactly).
 */
public record Decided(Object value, GrpcCode code, String id, String message) {

  public static Decided accepted(Object value) {
    return new Decided(value, null, null, null);
  }

  public static Decided accepted() {
    return accepted(null);
  }

  public static Decided refused(GrpcCode code, String id, String message) {
    return new Decided(null, code, id, message);
  }

  public static Decided refused(ApiError error) {
    return refused(error.code(), error.id(), error.getMessage());
  }

  public void assertMatches(Decision<?> actual, String name) {
    if (id == null) {
      if (!(actual instanceof Decision.Accepted<?> accepted)) {
        fail(name + ": expected accepted (" + value + "), refused with " + actual.reason().id());
        return;
      }
      assertEquals(value, accepted.value(), name + ": the accepted value");
      return;
    }
    assertTrue(actual instanceof Decision.Refused<?>, name + ": expected refused with " + id + ", was " + actual);
    ApiError reason = actual.reason();
    assertEquals(id, reason.id(), name + ": the error id");
    assertEquals(code, reason.code(), name + ": the gRPC code");
    assertEquals(message, reason.getMessage(), name + ": the message");
  }

  @Override
  public String toString() {
    return id == null ? "accepted " + value : "refused " + id;
  }
}
