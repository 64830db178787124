package dev.mfaservice.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;

/** Checks that an answer is the error body of API.md with the expected status, gRPC code and error id. */
public final class ApiAssertions {
  private ApiAssertions() {
  }

  public static void assertError(Http.Reply r, int status, int code, String id) {
    assertEquals(status, r.status(), r.text());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    JsonObject body = r.json();
    assertEquals(code, body.getInteger("code"), r.text());
    assertEquals(id, r.errorId(), r.text());
    assertTrue(body.getString("message").endsWith("(" + id + ")"), r.text());
    assertEquals("type.googleapis.com/zitadel.v1.ErrorDetail",
      body.getJsonArray("details").getJsonObject(0).getString("@type"));
  }
}
