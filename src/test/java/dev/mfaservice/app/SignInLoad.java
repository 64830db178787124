package dev.mfaservice.app;

import dev.mfaservice.app.KeepAliveClient.Outcome;
import dev.mfaservice.app.KeepAliveClient.Result;
import dev.mfaservice.support.Rfc6238;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TOTP sign-ins and emailed sign-in codes (POST /v2/sessions), one user per keep-alive
 * connection, each connection on its own thread, until nothing listens any more; counts what
 * every request got, as its client saw it.
 */
final class SignInLoad {
  record User(String id, String totpSecret, String address) {
  }

  final Map<Outcome, AtomicInteger> outcomes = new EnumMap<>(Outcome.class);
  final AtomicInteger created = new AtomicInteger();
  final AtomicInteger closeNotices = new AtomicInteger();
  final Map<String, AtomicInteger> sendsAnswered = new ConcurrentHashMap<>();
  final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final int port;
  private final String token;
  private final List<User> users;
  private final ExecutorService threads;

  SignInLoad(int port, String token, List<User> users) {
    this.port = port;
    this.token = token;
    this.users = users;
    this.threads = Executors.newFixedThreadPool(users.size(), r -> {
      Thread t = new Thread(r, "sign-in-load");
      t.setDaemon(true);
      return t;
    });
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, new AtomicInteger());
    }
  }

  void start() {
    users.forEach(u -> threads.submit(() -> run(u)));
  }

  int count(Outcome outcome) {
    return outcomes.get(outcome).get();
  }

  /** True when every connection's thread ended (its server stopped listening) within {@code millis}. */
  boolean awaitEnd(long millis) throws InterruptedException {
    threads.shutdown();
    return threads.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }

  private void run(User user) {
    try (KeepAliveClient client = new KeepAliveClient(port)) {
      for (int i = 0; ; i++) {
        boolean send = i % 2 == 1;
        Result r = client.post("/v2/sessions", token, (send ? sendCode(user) : signIn(user, i / 2 % 3 - 1)).encode());
        tally(user, send, r);
        if (r.outcome() == Outcome.REFUSED && !client.connectable()) {
          return;
        }
      }
    } catch (RuntimeException e) {
      problems.add("load thread of " + user.id() + " failed: " + e);
    }
  }

  private void tally(User user, boolean send, Result r) {
    outcomes.get(r.outcome()).incrementAndGet();
    if (r.outcome() == Outcome.CUT || r.outcome() == Outcome.UNANSWERED) {
      problems.add((send ? "code send" : "sign-in") + " of " + user.id() + ": " + r.outcome());
    }
    if (r.outcome() != Outcome.COMPLETE) {
      return;
    }
    if (r.connectionClose()) {
      closeNotices.incrementAndGet();
    }
    if (r.status() == 201) {
      created.incrementAndGet();
      if (send) {
        sendsAnswered.computeIfAbsent(user.address(), a -> new AtomicInteger()).incrementAndGet();
      }
    } else if (r.status() >= 500 || send) {
      problems.add((send ? "code send" : "sign-in") + " of " + user.id() + ": " + r.status() + " " + r.body());
    }
  }

  /** A TOTP sign-in with the code of the time step {@code step} away from now: one of three is accepted once, replays get 400. */
  private static JsonObject signIn(User user, int step) {
    String code = Rfc6238.code(user.totpSecret(), System.currentTimeMillis() / 1000 + 30L * step);
    return new JsonObject().put("checks", new JsonObject().put("user", new JsonObject().put("userId", user.id()))
      .put("totp", new JsonObject().put("code", code)));
  }

  private static JsonObject sendCode(User user) {
    return new JsonObject().put("checks", new JsonObject().put("user", new JsonObject().put("userId", user.id())))
      .put("challenges", new JsonObject().put("otpEmail", new JsonObject().put("sendCode", new JsonObject())));
  }
}
