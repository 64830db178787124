package dev.mfaservice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Http.Reply;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the contract answers at least once with a 2xx and once with a 4xx (the
 * operational ones, which take no input, with a 2xx), each answer checked against the contract
 * by the test client. What one walk through the whole API looks like, in the order a user meets it.
 */
class ContractCoverageTest {
  static TestServer server;
  static String admin;
  static final Map<String, Set<String>> seen = new TreeMap<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(ContractCoverageTest.class, Map.of("MFA_LIMITS_PER_ADDRESS_INTERVAL_SECONDS", "0"));
    admin = server.adminToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyOperationAnswersA2xxAndA4xx() throws Exception {
    ApiWalk walk = new ApiWalk(server, admin, this::saw);
    walk.operations();
    String org = walk.organizationsAndPolicies();
    String user = walk.users(org);
    walk.totpFactors(org, user);
    walk.otpAuthenticators(org, user);
    walk.recoveryCodes(org, user);
    walk.contacts(user);
    walk.sessions(user);
    new SecurityKeyWalk(server, admin, this::saw).keys(org, user);
    walk.lockout(org);
    walk.twilioCredentials(org);
    walk.events();
    Map<String, Set<String>> expected = new TreeMap<>();
    for (String op : operationIds()) {
      expected.put(op, new TreeSet<>(op.startsWith("Ops_") ? Set.of("2xx") : Set.of("2xx", "4xx")));
    }
    Map<String, Set<String>> got = new TreeMap<>();
    expected.keySet().forEach(op -> got.put(op, new TreeSet<>(seen.getOrDefault(op, Set.of()))));
    got.forEach((op, classes) -> classes.removeIf(c -> !expected.get(op).contains(c)));
    assertEquals(expected.toString(), got.toString(), "operations and the status classes they answered with");
  }

  private Reply saw(Reply reply) {
    if (reply.operation() != null) {
      seen.computeIfAbsent(reply.operation(), k -> new TreeSet<>()).add(reply.status() / 100 + "xx");
    }
    return reply;
  }

  static String totp(String secret) {
    return Rfc6238.code(secret, System.currentTimeMillis() / 1000);
  }

  private static Set<String> operationIds() throws java.io.IOException {
    Matcher m = Pattern.compile("operationId: (\\S+)").matcher(Files.readString(Path.of("openapi/mfa-service.yaml")));
    Set<String> ids = new TreeSet<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  static JsonObject json(String key, Object value) {
    return new JsonObject().put(key, value);
  }
}
