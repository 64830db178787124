package dev.mfaservice.container;

import dev.mfaservice.support.Command;

import static dev.mfaservice.container.Podman.podman;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mfaservice.support.Http;
import dev.mfaservice.support.Prerequisites;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.WalkthroughShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, item 3: {@code podman-compose up} with the project's docker-compose.yml brings up
 * PostgreSQL (a stand-in of the official image here) and two replicas with the same settings; the
 * walk-through passes through either, and what one writes the other reads.
 */
class ComposeIT {
  private static final String PROJECT = "mfait";
  private static final Pattern MACHINE_ID = Pattern.compile("machine id (\\d+) leased");

  @Test
  void twoReplicasOnOnePostgresqlServeTheWalkthroughThroughEither() throws Exception {
    String image = Image.build();
    Prerequisites.requireCommands("podman-compose");
    podman(Duration.ofSeconds(30), "tag", image, "localhost/mfa-service:latest").ok();
    int port1 = TestServer.freePort();
    int port2 = TestServer.freePort();
    Map<String, String> env = Map.of("MFA_SERVICE_PORT", Integer.toString(port1), "MFA_SERVICE_PORT_2", Integer.toString(port2));
    compose(env, "down", "-v");
    Path dir = Files.createTempDirectory("compose-walkthrough");
    try {
      long start = System.nanoTime();
      compose(env, "up", "-d").ok();
      Container one = Container.named(PROJECT + "_mfa-service_1", "http://127.0.0.1:" + port1);
      Container two = Container.named(PROJECT + "_mfa-service-2_1", "http://127.0.0.1:" + port2);
      one.awaitReady();
      two.awaitReady();
      System.out.printf("container: podman-compose up → PostgreSQL and both replicas ready in %d ms%n",
        (System.nanoTime() - start) / 1_000_000);
      assertNotEquals(machineId(one), machineId(two), "each replica leased a machine id of its own");
      // tokens minted by one replica, the walk-through through the other: one dev issuer key in the shared volume
      WalkthroughShell.passes("compose, replica 1", dir, one.baseUrl, two.tokenShim(dir), one::logs);
      WalkthroughShell.passes("compose, replica 2", dir, two.baseUrl, one.tokenShim(dir), two::logs);
      String token = one.adminToken();
      String userId = dev.mfaservice.support.Fixtures.orgWithUsers(new Http(port1), token, "both", 1).get(0);
      assertEquals(200, new Http(port2).get("/v2/users/" + userId, token).status(), "replica 2 reads what replica 1 wrote");
    } finally {
      compose(env, "down", "-v");
    }
  }

  private static String machineId(Container c) {
    Matcher m = MACHINE_ID.matcher(c.logs());
    if (!m.find()) {
      throw new AssertionError("no machine id in the log of " + c.name + ":\n" + c.logs());
    }
    return m.group(1);
  }

  private static Command.Result compose(Map<String, String> env, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("podman-compose", "-p", PROJECT, "-f", "docker-compose.yml"));
    command.addAll(List.of(args));
    return Command.exec(command, Duration.ofMinutes(3), env, Podman.PROJECT);
  }
}
