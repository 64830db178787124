package dev.mfaservice.container;

import dev.mfaservice.support.Command;

import static dev.mfaservice.container.Podman.podman;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.support.Http;
import dev.mfaservice.support.Load;
import dev.mfaservice.support.TestServer;
import dev.mfaservice.support.WalkthroughShell;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image as users run it (issue 25, items 1, 2, 5, 6): built from the Dockerfile, started with
 * no database URL on a read-only root file system with a data volume, the README walk-through
 * through its port, data kept across a restart, then again under a 384 MB / 1 CPU limit with a
 * short load. Prints the figures the README quotes.
 */
class ContainerIT {
  private static final Set<String> LABELS = Set.of("org.opencontainers.image.source", "org.opencontainers.image.version",
    "org.opencontainers.image.revision", "org.opencontainers.image.licenses");
  private static final Pattern SECRET_ASSIGNMENT = Pattern.compile("(?i)(password|secret|token|master_key|api_key)[a-z_]*=\\S+");

  @Test
  void theImageIsSmallLabelledNonRootHealthCheckedAndHoldsNoSecret() {
    String image = Image.build();
    JsonObject inspect = new JsonArray(podman(Duration.ofSeconds(30), "image", "inspect", image).ok().out()).getJsonObject(0);
    JsonObject config = inspect.getJsonObject("Config");
    assertEquals("10001:10001", config.getString("User"), "runs as the non-root user");
    JsonObject labels = config.getJsonObject("Labels");
    for (String label : LABELS) {
      String value = labels.getString(label, "");
      assertFalse(value.isBlank() || value.equals("unknown"), label + " = '" + value + "'");
    }
    assertEquals(Image.VERSION, labels.getString("org.opencontainers.image.version"));
    JsonObject health = inspect.getJsonObject("Healthcheck", config.getJsonObject("Healthcheck"));
    assertTrue(health != null && health.getJsonArray("Test").encode().contains("/readyz"), "HEALTHCHECK kept: " + health);
    for (Object env : config.getJsonArray("Env")) {
      assertFalse(SECRET_ASSIGNMENT.matcher(env.toString()).find(), "no secret in the image's environment: " + env);
    }
    String history = podman(Duration.ofSeconds(30), "history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", image).ok().out();
    Matcher secret = SECRET_ASSIGNMENT.matcher(history);
    assertFalse(secret.find(), () -> "a secret in the image history: " + secret.group());
    long size = inspect.getLong("Size");
    System.out.printf("container: image %s: %.1f MB in all; the layers the Dockerfile adds:%n", image, size / 1e6);
    for (String layer : history.split("\n")) {
      String[] cols = layer.split("\t", 2);
      if (cols.length == 2 && !cols[0].startsWith("0 ") && !cols[0].equals("0B") && !cols[1].contains("#(nop) ADD file:") && !cols[1].startsWith("/bin/sh -c #(nop) ADD")) {
        System.out.printf("container:   %-10s %s%n", cols[0], cols[1].length() > 110 ? cols[1].substring(0, 110) + "…" : cols[1]);
      }
    }
    System.out.printf("container: base debian:bookworm-slim %s (a stand-in here)%n",
      podman(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Size}}", "docker.io/library/debian:bookworm-slim").ok().line());
  }

  @Test
  void theEmbeddedDefaultRunsReadOnlyPassesTheWalkthroughAndKeepsItsDataAcrossARestart() throws Exception {
    String image = Image.build();
    String volume = "mfa-it-embedded";
    podman(Duration.ofSeconds(30), "volume", "rm", "-f", volume);
    int port = TestServer.freePort();
    Path dir = Files.createTempDirectory("container-walkthrough");
    // the master key from a file (README: secrets not in `podman inspect`), readable by the image's uid only
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    String masterKey = java.util.Base64.getEncoder().encodeToString(raw);
    Path secrets = Files.writeString(dir.resolve("mfa-secrets.properties"), "master-key=k1:" + masterKey + "\n");
    Command.exec(List.of("chown", "10001", secrets.toString()), Duration.ofSeconds(10), java.util.Map.of(), dir).ok();
    Files.setPosixFilePermissions(secrets, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
    try (Container c = Container.run("mfa-it-embedded", "http://127.0.0.1:" + port, List.of("--read-only", "--tmpfs", "/tmp",
      "-v", volume + ":/var/lib/mfa-service", "-p", "127.0.0.1:" + port + ":8080", "-e", "MFA_LOG_FORMAT=json",
      "-v", secrets + ":/run/secrets/mfa.properties:ro", "-e", "MFA_CONFIG_FILE=/run/secrets/mfa.properties"), image)) {
      long ready = c.awaitReady();
      System.out.printf("container: podman run → /readyz 200 in %d ms (embedded PostgreSQL, fresh volume)%n", ready);
      assertFalse(podman(Duration.ofSeconds(30), "inspect", c.name).ok().out().contains(masterKey), "the master key in podman inspect");
      assertFalse(c.logs().contains("no MFA_MASTER_KEY"), "the key from the file is used");
      assertEquals("10001", c.exec("id", "-u").ok().line(), "the process runs as uid 10001");
      assertFalse(c.exec("touch", "/opt/mfa-service/x").exit() == 0, "the root file system is read-only");
      assertEquals(0, podman(Duration.ofSeconds(30), "healthcheck", "run", c.name).exit(), "podman reports it healthy");
      WalkthroughShell.passes("in a container", dir, c.baseUrl, c.tokenShim(dir), c::logs);
      printMemory(c, "after the walk-through");
      String token = c.adminToken();
      Http http = new Http(port);
      String userId = dev.mfaservice.support.Fixtures.orgWithUsers(http, token, "kept", 1).get(0);
      long stop = c.stop(30);
      assertTrue(Set.of("0", "143").contains(c.state("{{.State.ExitCode}}")), "exit code " + c.state("{{.State.ExitCode}}"));
      System.out.printf("container: podman stop → exited (%s) in %d ms%n", c.state("{{.State.ExitCode}}"), stop);
      assertLogsAreJsonLines(c.logs());
      c.start();
      System.out.printf("container: podman start (same volume) → /readyz 200 in %d ms%n", c.awaitReady());
      String again = c.adminToken();
      Http.Reply kept = http.get("/v2/users/" + userId, again);
      assertEquals(200, kept.status(), "the user made before the restart: " + kept.text());
      WalkthroughShell.passes("in a container, restarted on the same volume", dir, c.baseUrl, c.tokenShim(dir), c::logs);
    } finally {
      podman(Duration.ofSeconds(30), "volume", "rm", "-f", volume);
    }
  }

  @Test
  void underA384MegabyteOneCpuLimitItStartsPassesTheWalkthroughAndHoldsALoad() throws Exception {
    String image = Image.build();
    String volume = "mfa-it-limits";
    podman(Duration.ofSeconds(30), "volume", "rm", "-f", volume);
    int port = TestServer.freePort();
    Path dir = Files.createTempDirectory("container-limits");
    try (Container c = Container.run("mfa-it-limits", "http://127.0.0.1:" + port, List.of("--memory", "384m",
      "--memory-swap", "384m", "--cpus", "1", "--read-only", "--tmpfs", "/tmp", "-v", volume + ":/var/lib/mfa-service",
      "-p", "127.0.0.1:" + port + ":8080"), image)) {
      long ready = c.awaitReady();
      Matcher heap = Pattern.compile("heap max (\\d+) MiB, (\\d+) CPU").matcher(c.logs());
      assertTrue(heap.find(), "the start-up line names the heap and CPUs the JVM chose:\n" + c.logs());
      System.out.printf("container: --memory 384m --cpus 1: ready in %d ms; the JVM chose a %s MiB heap and %s CPU%n",
        ready, heap.group(1), heap.group(2));
      assertTrue(Integer.parseInt(heap.group(1)) <= 200, "heap sized from the cgroup's 384 MB: " + heap.group(1));
      assertEquals("1", heap.group(2));
      WalkthroughShell.passes("under --memory 384m --cpus 1", dir, c.baseUrl, c.tokenShim(dir), c::logs);
      String token = c.adminToken();
      Http http = new Http(port);
      String userId = dev.mfaservice.support.Fixtures.orgWithUsers(http, token, "limits", 1).get(0);
      Load load = new Load("127.0.0.1", port, 16, (w, i) -> i % 2 == 0
        ? new Load.Request("POST", "/v2/sessions", token,
          new JsonObject().put("checks", new JsonObject().put("user", new JsonObject().put("userId", userId))).encode(), null)
        : new Load.Request("GET", "/v2/users/" + userId, token, null, null));
      Container.sleep(15_000);
      load.close();
      long ok = load.answers.stream().filter(a -> Load.status(a) == 200 || Load.status(a) == 201).count();
      System.out.printf("container: --memory 384m --cpus 1: %d answers in 15 s from 16 connections (%d not 200/201), "
        + "%d cut%n", load.answers.size(), load.answers.size() - ok, load.cut.size());
      assertEquals(load.answers.size(), ok, "every answer 200/201");
      assertEquals(List.of(), List.copyOf(load.cut));
      assertEquals("running", c.state("{{.State.Status}}"));
      assertEquals("false", c.state("{{.State.OOMKilled}}"));
      printMemory(c, "after the walk-through and the load, under the limit");
    } finally {
      podman(Duration.ofSeconds(30), "volume", "rm", "-f", volume);
    }
  }

  static void printMemory(Container c, String when) {
    String rss = c.exec("sh", "-c", "grep VmRSS /proc/1/status").ok().line().replaceAll("\\s+", " ");
    Command.Result stats = podman(Duration.ofSeconds(30), "stats", "--no-stream", "--format", "{{.MemUsage}}", c.name);
    // the cgroup's own split: anonymous memory (what an OOM kill is about) and page cache (reclaimable)
    Command.Result stat = c.exec("sh", "-c", "cat /sys/fs/cgroup/memory/memory.stat 2>/dev/null || cat /sys/fs/cgroup/memory.stat");
    java.util.Map<String, Long> values = new java.util.HashMap<>();
    for (String line : stat.out().split("\n")) {
      String[] kv = line.split(" ");
      if (kv.length == 2 && kv[1].matches("\\d+")) {
        values.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    long anon = values.getOrDefault("total_rss", values.getOrDefault("anon", -1L));
    long cache = values.getOrDefault("total_cache", values.getOrDefault("file", -1L));
    System.out.printf("container: memory %s: the JVM's %s; the container's (JVM + embedded PostgreSQL) %s, of which "
        + "anonymous %d MB, page cache %d MB%n", when, rss, stats.exit() == 0 ? stats.line() : "(podman stats: "
        + stats.err().strip() + ")", anon >> 20, cache >> 20);
  }

  /** MFA_LOG_FORMAT=json: every line on stdout and stderr is one JSON object a log collector can parse. */
  static void assertLogsAreJsonLines(String logs) {
    int lines = 0;
    for (String line : logs.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      lines++;
      try {
        JsonObject entry = new JsonObject(line);
        assertTrue(entry.containsKey("level"), "no level: " + line);
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    assertTrue(lines > 3, "log lines: " + lines);
  }
}
