package dev.mfaservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.ContractCheck;
import dev.mfaservice.support.Http;
import org.junit.jupiter.api.Test;

/** The answer check of the tests can fail: each kind of drift it exists for is caught. */
class ContractCheckTest {
  private static final String USER = """
    {"details":{"sequence":"1","creationDate":"2026-01-01T00:00:00.000Z","resourceOwner":"1"},
     "user":{"userId":"2","state":"%s","username":"u","loginNames":["u"],"preferredLoginName":"u",
             "human":{"profile":{"givenName":"G","familyName":"F","displayName":"G F","preferredLanguage":"en"%s}}}}""";
  private static final String NOT_FOUND = """
    {"code":5,"message":"User could not be found (COMMAND-SqyJz)",
     "details":[{"@type":"type.googleapis.com/zitadel.v1.ErrorDetail","id":"COMMAND-SqyJz","message":"User could not be found"}]}""";

  private static Http.Reply reply(int status, String type, String body) {
    return new Http.Reply(status, type, body, null, null);
  }

  private static String check(int status, String type, String body) {
    return ContractCheck.get().verify("GET", "/v2/users/2", reply(status, type, body));
  }

  @Test
  void aValidAnswerPassesAndNamesItsOperation() {
    assertEquals("UserService_GetUserByID", check(200, "application/json", USER.formatted("USER_STATE_LOCKED", "")));
    assertEquals("UserService_GetUserByID", check(404, "application/json", NOT_FOUND));
  }

  @Test
  void anUndeclaredPropertyAnEnumValueOrAWrongTypeFails() {
    assertFails("nickName", () -> check(200, "application/json", USER.formatted("USER_STATE_ACTIVE", ",\"nickName\":\"x\"")));
    assertFails("state", () -> check(200, "application/json", USER.formatted("USER_STATE_FROZEN", "")));
    assertFails("code", () -> check(404, "application/json", NOT_FOUND.replace("\"code\":5", "\"code\":\"5\"")));
    assertFails("retry", () -> check(404, "application/json", NOT_FOUND.replace("\"message\":\"User could not be found\"}",
      "\"message\":\"x\",\"retry\":\"30s\"}")));
  }

  @Test
  void anUndeclaredStatusOrContentTypeFails() {
    assertFails("status 409", () -> check(409, "application/json", NOT_FOUND));
    assertFails("Content-Type", () -> check(200, "text/plain", USER.formatted("USER_STATE_ACTIVE", "")));
    assertFails("not JSON", () -> check(200, "application/json", "<html>"));
  }

  @Test
  void aPathOutsideTheContractMayOnlyAnswerAnError() {
    assertEquals(null, ContractCheck.get().verify("GET", "/nowhere", reply(404, "application/json", NOT_FOUND)));
    assertFails("answered 200", () -> ContractCheck.get().verify("GET", "/nowhere", reply(200, "application/json", "{}")));
  }

  private static void assertFails(String mentions, Runnable check) {
    AssertionError e = assertThrows(AssertionError.class, check::run);
    assertTrue(e.getMessage().contains(mentions), e.getMessage());
  }
}
