package dev.mfaservice.ha;

import dev.mfaservice.support.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The highly available PostgreSQL of src/test/ha/stack.sh (etcd, two Patroni nodes, HAProxy) in
 * one directory: its commands, its endpoints, and when Patroni named a new leader.
 */
final class HaStack implements AutoCloseable {
  private static final Path SCRIPT = Path.of("src/test/ha/stack.sh").toAbsolutePath();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
  private final Path dir;
  final Map<String, String> env;

  private HaStack(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = env;
  }

  static HaStack up(Path dir) {
    return new HaStack(dir, run("up", dir));
  }

  /** The node whose Patroni answers 200 on /primary. */
  String leader() {
    return run("leader", dir).keySet().iterator().next();
  }

  void killPrimary() {
    run("kill-primary", dir);
  }

  /** Patroni and its PostgreSQL killed (-9) together: the leader key lapses only after Patroni's TTL. */
  void killNode(String node) {
    run("kill-node", dir, node);
  }

  void startNode(String node) {
    run("start-node", dir, node);
  }

  /** Until a standby streams synchronously again and Patroni has recorded it (a failover may go to it). */
  void awaitSyncStandby() {
    run("wait-sync", dir);
  }

  /** Polls every node's Patroni REST /primary until one other than {@code old} answers 200; System.nanoTime() then. */
  long awaitLeaderOtherThan(String old, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (System.nanoTime() < deadline) {
      for (String node : List.of("node1", "node2")) {
        if (!node.equals(old) && answersPrimary(env.get(node.toUpperCase() + "_REST_PORT"))) {
          return System.nanoTime();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Patroni named no leader other than " + old + " within " + timeoutMillis + " ms");
  }

  /** A connection as the service's own database user, through HAProxy (to the leader). */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(env.get("APP_JDBC_URL"), env.get("APP_USER"), env.get("APP_PASSWORD"));
  }

  @Override
  public void close() {
    Fixtures.run(List.of("bash", SCRIPT.toString(), "down", dir.toString()), 120);
  }

  private static boolean answersPrimary(String port) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/primary"))
        .timeout(Duration.ofMillis(500)).GET().build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** stack.sh's KEY=VALUE lines as a map (for `leader`, the one line as a key). */
  private static Map<String, String> run(String command, Path dir, String... more) {
    List<String> line = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString(), command, dir.toString()));
    line.addAll(List.of(more));
    String out = Fixtures.run(line, 240);
    Map<String, String> values = new LinkedHashMap<>();
    for (String l : out.split("\n")) {
      String[] kv = l.split("=", 2);
      if (!l.isBlank()) {
        values.put(kv[0].strip(), kv.length > 1 ? kv[1].strip() : "");
      }
    }
    return values;
  }
}
