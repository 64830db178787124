package dev.mfaservice.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server speaking Twilio's Messages API
 * ({@code POST /2010-04-01/Accounts/{sid}/Messages.json}, form-encoded): it records what
 * twilio-java sends and answers 201 with a message resource, or the scripted errors queued first; it lists what it
 * received ({@code GET …/Messages.json}).
 */
public final class FakeTwilio implements AutoCloseable {
  public static final String ACCOUNT = "AC00000000000000000000000000000001";
  public static final String TOKEN = "test-auth-token";
  public static final String FROM = "+15005550006";

  /** One request as Twilio would see it. */
  public record Sent(String to, String from, String body, String authorization) {
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final Map<String, Queue<int[]>> script = new java.util.concurrent.ConcurrentHashMap<>();

  private FakeTwilio(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static FakeTwilio start() {
    Vertx vertx = Vertx.vertx();
    FakeTwilio[] self = new FakeTwilio[1];
    Router router = Router.router(vertx);
    router.post("/2010-04-01/Accounts/:sid/Messages.json").handler(BodyHandler.create()).handler(ctx -> self[0].answer(ctx));
    router.get("/2010-04-01/Accounts/:sid/Messages.json").handler(ctx -> self[0].list(ctx));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    self[0] = new FakeTwilio(vertx, server);
    return self[0];
  }

  /**
   * Answers the next request to {@code number} with this HTTP status and Twilio error code instead of 201 (by number:
   * another test's message, sent or retried meanwhile, must not take the failure).
   */
  public void failNext(String number, int status, int twilioCode) {
    script.computeIfAbsent(number, n -> new ConcurrentLinkedQueue<>()).add(new int[] {status, twilioCode});
  }

  public Map<String, String> env() {
    return Map.of("MFA_SMS_PROVIDER", "twilio", "MFA_TWILIO_ACCOUNT_SID", ACCOUNT, "MFA_TWILIO_AUTH_TOKEN", TOKEN,
      "MFA_TWILIO_FROM", FROM, "MFA_TWILIO_API_URL", "http://127.0.0.1:" + server.actualPort());
  }

  /**
   * {@link #env()} for replicas on one database: SMS to {@code countryCodes} only, the outbox swept every second, and
   * one fresh master key (either instance's worker may claim the other's rows and must open their sealed payloads).
   */
  public Map<String, String> replicaEnv(String countryCodes) {
    Map<String, String> env = new java.util.HashMap<>(env());
    env.put("MFA_SMS_ALLOWED_COUNTRY_CODES", countryCodes);
    env.put("MFA_NOTIFY_SWEEP_SECONDS", "1");
    env.put("MFA_MASTER_KEY", "k1:" + java.util.Base64.getEncoder().encodeToString(
      new java.security.SecureRandom().generateSeed(32)));
    return env;
  }

  public List<Sent> to(String number) {
    return sent.stream().filter(s -> s.to().equals(number)).toList();
  }

  /** How many requests went to numbers starting with {@code prefix}. */
  public long sentCount(String prefix) {
    return sent.stream().filter(s -> s.to() != null && s.to().startsWith(prefix)).count();
  }

  /** Waits (polling, with a deadline) until {@code count} requests for {@code number} arrived. */
  public List<Sent> await(String number, int count, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (to(number).size() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("expected " + count + " SMS to " + number + ", got " + to(number).size());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return to(number);
  }

  public static String code(Sent sms, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(sms.body());
    if (!m.find()) {
      throw new AssertionError("no code in: " + sms.body());
    }
    return m.group(1);
  }

  /**
   * Twilio's message list ({@code GET …/Messages.json?To=…}), the messages received so far, newest first as Twilio
   * lists them: for a client outside the JVM (a node test) to read the codes sent.
   */
  private void list(io.vertx.ext.web.RoutingContext ctx) {
    String to = ctx.request().getParam("To");
    JsonArray messages = new JsonArray();
    for (int i = sent.size() - 1; i >= 0; i--) {
      Sent s = sent.get(i);
      if (to == null || to.equals(s.to())) {
        messages.add(new JsonObject().put("to", s.to()).put("from", s.from()).put("body", s.body()));
      }
    }
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("messages", messages).encode());
  }

  private void answer(io.vertx.ext.web.RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    sent.add(new Sent(form.get("To"), form.get("From"), form.get("Body"), ctx.request().getHeader("Authorization")));
    Queue<int[]> scripted = script.get(form.get("To"));
    int[] failure = scripted == null ? null : scripted.poll();
    if (failure != null) {
      ctx.response().setStatusCode(failure[0]).putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("code", failure[1]).put("message", "scripted failure " + failure[1]).put("status", failure[0])
        .put("more_info", "https://www.twilio.com/docs/errors/" + failure[1]).encode());
      return;
    }
    String sid = "SM" + Long.toHexString(System.nanoTime());
    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(new JsonObject()
      .put("sid", sid).put("account_sid", ctx.pathParam("sid")).put("to", form.get("To")).put("from", form.get("From"))
      .put("body", form.get("Body")).put("status", "queued").put("num_segments", "1").put("direction", "outbound-api")
      .put("api_version", "2010-04-01").put("date_created", "Mon, 23 Nov 2026 08:00:00 +0000")
      .put("uri", "/2010-04-01/Accounts/" + ctx.pathParam("sid") + "/Messages/" + sid + ".json").encode());
  }

  @Override
  public void close() {
    vertx.close();
  }
}
