package dev.mfaservice.container;

import static dev.mfaservice.container.Podman.podman;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http;
import dev.mfaservice.support.Load;
import dev.mfaservice.support.Mailbox;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, item 4: {@code podman stop} (SIGTERM) while sign-ins and code sends run. No answer is
 * cut, the process exits on its own within the grace period (0 or 143, not the 137 of a kill),
 * and every code whose send was answered 200 reaches the mailbox exactly once: before the stop,
 * or after the restart on the same volume if it was only queued.
 */
class ContainerStopIT {
  private static final int WORKERS = 12;
  private static final int GRACE_SECONDS = 30;

  @Test
  void aStopUnderLoadCutsNoAnswerLosesNoCodeAndSendsNoneTwice() throws Exception {
    String image = Image.build();
    String volume = "mfa-it-stop";
    podman(Duration.ofSeconds(30), "volume", "rm", "-f", volume);
    int port = TestServer.freePort();
    List<String> flags = new ArrayList<>(List.of("--network", "host", "--read-only", "--tmpfs", "/tmp",
      "-v", volume + ":/var/lib/mfa-service", "-e", "MFA_HTTP_HOST=127.0.0.1", "-e", "MFA_HTTP_PORT=" + port,
      "-e", "MFA_LIMITS_PER_USER_PER_HOUR=10000", "-e", "MFA_LIMITS_PER_CALLER_PER_HOUR=10000"));
    try (Mailbox mailbox = Mailbox.start()) {
      mailbox.env().forEach((k, v) -> flags.addAll(List.of("-e", k + "=" + v)));
      try (Container c = Container.run("mfa-it-stop", "http://127.0.0.1:" + port, flags, image)) {
        c.awaitReady();
        String token = c.adminToken();
        Http http = new Http(port);
        List<String> users = dev.mfaservice.support.Fixtures.orgWithUsers(http, token, "load", WORKERS);
        Load load = new Load("127.0.0.1", port, WORKERS, (w, i) -> w % 2 == 0
          ? new Load.Request("POST", "/v2/users/" + users.get(w) + "/email", token,
            new JsonObject().put("email", "w" + w + "-" + i + "@stop.test").encode(), "w" + w + "-" + i + "@stop.test")
          : new Load.Request("POST", "/v2/sessions", token,
            new JsonObject().put("checks", new JsonObject().put("user", new JsonObject().put("userId", users.get(w)))).encode(), null));
        Container.sleep(3000);
        int before = load.answers.size();
        long stopMillis = c.stop(GRACE_SECONDS);
        load.close();
        String exit = c.state("{{.State.ExitCode}}");
        String logs = c.logs();
        System.out.printf("container: podman stop under load (%d answers before it): exit %s after %d ms; %d answers in all, "
            + "%d refused connects, %d connections closed before any byte of an answer (%d kept-alive ones as they went idle, "
            + "%d new ones still in the listen backlog when it closed), %d cut%n",
          before, exit, stopMillis, load.answers.size(), load.refused.get(),
          load.closedBeforeAnswerOnReuse.get() + load.closedBeforeAnswerOnFresh.get(), load.closedBeforeAnswerOnReuse.get(),
          load.closedBeforeAnswerOnFresh.get(), load.cut.size());
        assertTrue(Set.of("0", "143").contains(exit), "exit code " + exit + " (137 = killed after the grace)\n" + logs);
        assertEquals("false", c.state("{{.State.OOMKilled}}"));
        assertTrue(stopMillis < GRACE_SECONDS * 1000L, "stopped on its own within the grace: " + stopMillis + " ms");
        assertEquals(List.of(), List.copyOf(load.cut), "answers cut");
        assertFalse(logs.contains("cannot release"), logs);
        assertTrue(logs.matches("(?s).*machine id \\d+ released.*embedded PostgreSQL stopped.*"),
          "the lease released before the database stopped:\n" + logs);
        assertFalse(logs.contains(" ERROR "), logs);
        List<Load.Answer> unexpected = load.answers.stream().filter(a -> Load.status(a) != 200 && Load.status(a) != 201).toList();
        assertEquals(List.of(), unexpected.stream().map(a -> a.status() + " " + a.body()).toList(), "answers other than 200/201");

        Set<String> acknowledged = load.answers.stream().filter(a -> a.request().tag() != null && Load.status(a) == 200)
          .map(a -> a.request().tag()).collect(Collectors.toSet());
        assertTrue(acknowledged.size() > 20, "codes sent under load: " + acknowledged.size());
        int deliveredBeforeRestart = (int) acknowledged.stream().filter(a -> !mailbox.to(a).isEmpty()).count();
        c.start();
        c.awaitReady();
        for (String address : acknowledged) {
          mailbox.await(address, 1, 30_000);
        }
        Container.sleep(2000);
        Map<Integer, Long> copies = acknowledged.stream().collect(Collectors.groupingBy(a -> mailbox.to(a).size(), Collectors.counting()));
        System.out.printf("container: %d codes acknowledged; %d delivered before the stop ended, the rest after the restart; "
          + "copies per code: %s%n", acknowledged.size(), deliveredBeforeRestart, copies);
        assertEquals(Map.of(1, (long) acknowledged.size()), copies, "each acknowledged code delivered exactly once");
      }
    } finally {
      podman(Duration.ofSeconds(30), "volume", "rm", "-f", volume);
    }
  }
}
