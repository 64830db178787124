package dev.mfaservice.support;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What a test sets up through the API of a running service it does not start itself (a container, a replica). */
public final class Fixtures {
  private Fixtures() {
  }

  /** A new org (named after {@code what}) with {@code users} users in it; returns the users' ids. */
  public static List<String> orgWithUsers(Http http, String token, String what, int users) {
    String orgId = http.post("/v2/organizations", token, new JsonObject().put("name", what + " " + System.nanoTime()))
      .json().getString("organizationId");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      ids.add(http.post("/v2/users/human", token, new JsonObject().put("organization", new JsonObject().put("orgId", orgId))
        .put("username", what + i).put("profile", new JsonObject().put("givenName", "Given").put("familyName", "Family" + i)))
        .json().getString("userId"));
    }
    return ids;
  }

  /** Runs a command to its end within {@code seconds}; its stdout, or an AssertionError with its output when it fails. */
  public static String run(List<String> command, int seconds) {
    return Command.exec(command, java.time.Duration.ofSeconds(seconds), java.util.Map.of(), java.nio.file.Path.of("").toAbsolutePath()).ok().out();
  }
}
