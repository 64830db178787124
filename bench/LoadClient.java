import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * mfa-service's load client: closed loop, N keep-alive connections each with one request in
 * flight (as wrk), latency recorded per request in an HdrHistogram. It computes real TOTP codes
 * for the verify scenario (RFC 6238, plain HMAC). Run with the service jar on the class path:
 *   java -cp target/mfa-service.jar bench/LoadClient.java <url> <token> <users-file> <seconds> <connections> <scenario...>
 * Scenarios: healthz, get-user, totp (RegisterTOTP then VerifyTOTPRegistration on the same users),
 * add-otp-email, sign-in (a session with user + TOTP check; users seeded by {@code seed-totp}, each at most once per
 * 30-s step), sign-in-email (a session with user + otpEmail returnCode challenge, then SetSession with the code),
 * sign-in-webauthn (a session with user + webAuthN challenge, then SetSession with the assertion a software P-256 key
 * signs: two calls; the users file is then the keys file {@code enrol-webauthn} wrote),
 * register-totp-rest, -connect and -grpc (the same call over REST, Connect and gRPC), hold (N connections, one GET /healthz per connection every 5 s), warmup (unreported).
 * Prints one JSON line per scenario, and a line "#start" when its measured part begins (bench/measure.py reads CPU
 * counters there). -Drate=N drives a fixed rate instead (open loop, up to N connections in flight, latency from each
 * request's planned start); -Drequests=N stops after N requests (the statement-count sample).
 *   java -cp target/mfa-service.jar bench/LoadClient.java seed-totp <master-key> <users-file>   # CSV of sealed TOTP secrets
 *   java -cp target/mfa-service.jar bench/LoadClient.java <url> <token> <users-file> <seconds> <connections> enrol-webauthn
 *     # a security key per user through the API (RegisterU2F, VerifyU2FRegistration), unmeasured; prints the keys
 *     # file ("userId,credentialId,PKCS#8 private key", base64url) to standard output
 */
public final class LoadClient {
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpClientAgent http;
  /** HTTP/2 with prior knowledge (h2c), one stream at a time per connection: the closed loop of the HTTP/1.1 client. */
  private final HttpClientAgent grpcHttp;
  private final String token;
  private final List<String> users;
  private final int seconds;
  private final int connections;
  /** The origin the software authenticator puts in its client data: a dev instance's default one. */
  private final String origin;
  private boolean silent;

  LoadClient(String url, String token, List<String> users, int seconds, int connections) {
    java.net.URI u = java.net.URI.create(url);
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(u.getHost()).setDefaultPort(u.getPort())
      .setKeepAlive(true).setConnectTimeout(30_000).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(connections)
      .setMaxWaitQueueSize(-1));
    this.grpcHttp = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(u.getHost()).setDefaultPort(u.getPort())
      .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
      .setHttp2MultiplexingLimit(1).setKeepAlive(true).setConnectTimeout(30_000).setIdleTimeout(0),
      new PoolOptions().setHttp2MaxSize(connections).setMaxWaitQueueSize(-1));
    this.token = token;
    this.users = users;
    this.seconds = seconds;
    this.connections = connections;
    this.origin = "http://localhost:" + u.getPort();
  }

  /** Fixed-rate (open loop) mode when > 0: requests per second, latency counted from each request's planned start. */
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "0"));
  /** A fixed number of requests instead of a duration (statement counts on a sample), when > 0. */
  private static final long MAX_REQUESTS = Long.getLong("requests", 0);

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("seed-totp")) {
      seedTotp(args[1], Path.of(args[2]));
      return;
    }
    List<String> users = Files.readAllLines(Path.of(args[2])).stream().filter(s -> !s.isBlank()).toList();
    LoadClient client = new LoadClient(args[0], args[1], users, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    if (args.length == 6 && args[5].equals("enrol-webauthn")) {
      client.enrolWebAuthn();
      client.vertx.close().await();
      return;
    }
    if (!List.of(args).subList(5, args.length).contains("hold")) {
      client.warmItself();
    }
    for (int i = 5; i < args.length; i++) {
      client.run(args[i]);
    }
    client.vertx.close().await();
  }

  private void run(String scenario) throws Exception {
    switch (scenario) {
      case "healthz" -> report("healthz", closedLoop(n -> call(HttpMethod.GET, "/healthz", null, false), seconds));
      case "get-user" -> report("get-user", closedLoop(n -> call(HttpMethod.GET, "/v2/users/" + user(n), null, true), seconds));
      case "totp" -> totp();
      case "verify-totp" -> {
        // registrations to verify, made first and not measured (RegisterTOTP is measured with wrk)
        silent = true;
        totp(false);
        silent = false;
        verify();
      }
      case "add-otp-email" -> report("add-otp-email", closedLoop(n -> call(HttpMethod.POST, "/v3alpha/users/" + user(n)
        + "/otp_email", new JsonObject().put("email", new JsonObject().put("address", "b" + n + "-" + System.nanoTime()
        + "@bench.test").put("returnCode", new JsonObject())), true), seconds));
      case "hold" -> hold();
      case "sign-in" -> report("sign-in", closedLoop(this::signIn, seconds));
      case "sign-in-email" -> report("sign-in-email", closedLoop(this::signInByEmail, seconds));
      case "sign-in-webauthn" -> report("sign-in-webauthn", closedLoop(this::signInByWebAuthn, seconds));
      // RegisterTOTP over REST, Connect JSON (HTTP/1.1, the RPC bridge) and gRPC (HTTP/2, h2c): the
      // same closed loop and connections, each on users of its own (user 3n, 3n+1, 3n+2).
      case "register-totp-rest" -> report(scenario, closedLoop(n -> 3 * n + 2 >= users.size() ? Future.failedFuture("out of users")
        : call(HttpMethod.POST, "/v2/users/" + users.get((int) (3 * n)) + "/totp", new JsonObject(), true), seconds));
      case "register-totp-connect" -> report(scenario, closedLoop(n -> 3 * n + 2 >= users.size() ? Future.failedFuture("out of users")
        : call(HttpMethod.POST, "/zitadel.user.v2.UserService/RegisterTOTP",
          new JsonObject().put("userId", users.get((int) (3 * n + 1))), true), seconds));
      case "register-totp-grpc" -> report(scenario, closedLoop(n -> 3 * n + 2 >= users.size() ? Future.failedFuture("out of users")
        : grpc("/zitadel.user.v2.UserService/RegisterTOTP", stringField(1, users.get((int) (3 * n + 2)))), seconds));
      case "warmup" -> {
        // JIT warm-up of every code path measured later (the compiler threads otherwise take
        // half the CPU of the first seconds); nothing is reported.
        closedLoop(n -> call(HttpMethod.GET, "/healthz", null, false), seconds);
        closedLoop(n -> call(HttpMethod.GET, "/v2/users/" + user(n), null, true), seconds);
        closedLoop(n -> call(HttpMethod.POST, "/v3alpha/users/" + user(n) + "/otp_email", new JsonObject().put("email",
          new JsonObject().put("address", "w" + n + "-" + System.nanoTime() + "@bench.test").put("returnCode", new JsonObject())), true), seconds);
        boolean quiet = silent;
        silent = true;
        totp();
        silent = quiet;
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  /**
   * Before anything is measured: the connections opened and the client's own classes loaded and compiled (a fresh
   * JVM on a busy machine otherwise spends its first seconds on them), with GET /healthz and local TOTP codes.
   */
  private void warmItself() throws Exception {
    boolean quiet = silent;
    silent = true;
    long sink = 0;
    for (int i = 0; i < 20_000; i++) {
      sink += code(secretFor("warm-" + (i % 100)), i * 30L).hashCode();
      sink += new JsonObject().put("checks", new JsonObject().put("n", i)).encode().length();
    }
    if (!users.isEmpty() && users.get(0).contains(",")) {  // a keys file: sign-in-webauthn's signatures too
      SoftKey key = new SoftKey(users.get(0));
      JsonObject options = new JsonObject().put("challenge", b64(new byte[32])).put("rpId", RP_ID);
      for (int i = 0; i < 3_000; i++) {
        sink += assertion(options, key).encode().length();
      }
    }
    closedLoop(n -> call(HttpMethod.GET, "/healthz", null, false), 2);
    silent = quiet;
    if (sink == 42) {
      System.err.print("");
    }
  }

  private final Map<String, String> secrets = new ConcurrentHashMap<>();

  private void totp() throws Exception {
    totp(true);
  }

  /** RegisterTOTP on distinct users for the set time, then (if asked) VerifyTOTPRegistration with valid codes on them. */
  private void totp(boolean thenVerify) throws Exception {
    // before verify-totp, twice the time: verifying is quicker than registering, and it must not run out
    Result register = closedLoop(n -> {
      if (n >= users.size()) {
        return Future.failedFuture("out of users");
      }
      String id = users.get((int) n);
      return call(HttpMethod.POST, "/v2/users/" + id + "/totp", new JsonObject(), true)
        .map(body -> {
          secrets.put(id, new JsonObject(body).getString("secret"));
          return body;
        });
    }, silent ? 2 * seconds : seconds);
    report("register-totp", register);
    if (thenVerify) {
      verify();
    }
  }

  private void verify() throws Exception {
    List<String> registered = List.copyOf(secrets.keySet());
    Result verify = closedLoop(n -> {
      if (n >= registered.size()) {
        return Future.failedFuture("out of users");
      }
      String id = registered.get((int) n);
      return call(HttpMethod.POST, "/v2/users/" + id + "/totp/verify",
        new JsonObject().put("code", code(secrets.get(id), System.currentTimeMillis() / 1000)), true);
    }, seconds);
    report("verify-totp", verify);
  }

  /** Many idle keep-alive connections, each sending one request every 5 s. */
  private void hold() throws Exception {
    ConcurrentHistogram latency = new ConcurrentHistogram(3);
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicInteger open = new AtomicInteger();
    long end = System.currentTimeMillis() + seconds * 1000L;
    CountDownLatch finished = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      long startDelay = (long) (Math.random() * 5000);
      vertx.setTimer(1 + startDelay, t -> holdLoop(end, latency, errors, done, open, finished));
    }
    finished.await();
    Result r = new Result(latency, done.get(), errors.get(), seconds * 1000L);
    report("hold-" + connections, r);
  }

  private void holdLoop(long end, Histogram latency, AtomicLong errors, AtomicLong done, AtomicInteger open,
                        CountDownLatch finished) {
    if (System.currentTimeMillis() > end) {
      finished.countDown();
      return;
    }
    long start = System.nanoTime();
    call(HttpMethod.GET, "/healthz", null, false).onComplete(r -> {
      if (r.succeeded()) {
        latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        done.incrementAndGet();
      } else {
        errors.incrementAndGet();
      }
      vertx.setTimer(5000, t -> holdLoop(end, latency, errors, done, open, finished));
    });
  }

  private Future<String> call(HttpMethod method, String path, JsonObject body, boolean auth) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    if (auth) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return http.request(options)
      .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
      .compose(resp -> resp.body().compose(b -> resp.statusCode() / 100 == 2 ? Future.succeededFuture(b.toString())
        : Future.failedFuture(resp.statusCode() + " " + b)));
  }

  /** A unary gRPC call: the message framed (no compression), the answer's grpc-status checked. */
  private Future<String> grpc(String path, byte[] message) {
    Buffer framed = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
      .putHeader("content-type", "application/grpc").putHeader("te", "trailers")
      .putHeader("authorization", "Bearer " + token);
    return grpcHttp.request(options)
      .compose(req -> req.send(framed))
      .compose(resp -> resp.body().compose(b -> {
        String status = resp.getTrailer("grpc-status") != null ? resp.getTrailer("grpc-status") : resp.getHeader("grpc-status");
        return "0".equals(status) && b.length() > 5 ? Future.succeededFuture("ok")
          : Future.failedFuture("grpc-status " + status + " " + resp.getTrailer("grpc-message"));
      }));
  }

  /** A protobuf message with one string field. */
  private static byte[] stringField(int number, String value) {
    byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length > 127) {
      throw new IllegalArgumentException("value too long for this encoder");
    }
    byte[] message = new byte[bytes.length + 2];
    message[0] = (byte) (number << 3 | 2);
    message[1] = (byte) bytes.length;
    System.arraycopy(bytes, 0, message, 2, bytes.length);
    return message;
  }

  private interface Request {
    Future<String> send(long n);
  }

  private record Result(Histogram latency, long requests, long errors, long millis) {
  }

  private Result closedLoop(Request request, int seconds) throws Exception {
    if (RATE > 0 && !silent) {  // a silent run is set-up (verify-totp's registrations, warm-up): as fast as it goes
      return openLoop(request, seconds);
    }
    ConcurrentHistogram latency = new ConcurrentHistogram(3);
    AtomicLong sequence = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicLong lastError = new AtomicLong();
    ranOut = false;
    started();
    long started = System.currentTimeMillis();
    long end = started + seconds * 1000L;
    CountDownLatch finished = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      vertx.runOnContext(v -> loop(request, end, latency, sequence, errors, done, lastError, finished));
    }
    finished.await();
    return new Result(latency, done.get(), errors.get(), System.currentTimeMillis() - started);
  }

  private void loop(Request request, long end, Histogram latency, AtomicLong sequence, AtomicLong errors, AtomicLong done,
                    AtomicLong lastError, CountDownLatch finished) {
    long n = sequence.getAndIncrement();
    if (System.currentTimeMillis() >= end || (MAX_REQUESTS > 0 && n >= MAX_REQUESTS)) {
      finished.countDown();
      return;
    }
    long start = System.nanoTime();
    request.send(n).onComplete(r -> {
      if (!record(r, start, latency, errors, done, lastError)) {
        finished.countDown();
        return;
      }
      loop(request, end, latency, sequence, errors, done, lastError, finished);
    });
  }

  /** False when the scenario ran out of users (it then stops, and the report says INVALID). */
  private boolean record(io.vertx.core.AsyncResult<String> r, long start, Histogram latency, AtomicLong errors,
                         AtomicLong done, AtomicLong lastError) {
    if (r.succeeded()) {
      latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
      done.incrementAndGet();
    } else if ("out of users".equals(r.cause().getMessage())) {
      ranOut = true;
      return false;
    } else {
      errors.incrementAndGet();
      if (System.currentTimeMillis() - lastError.get() > 1000) {
        lastError.set(System.currentTimeMillis());
        System.err.println("error: " + r.cause().getMessage());
      }
    }
    return true;
  }

  /**
   * Fixed rate: request n is due at start + n / RATE whatever the earlier ones did; the latency counts from when it
   * was due, so a stall shows in the percentiles (no coordinated omission). At most {@code connections} in flight;
   * the others wait in the client's queue, and that wait counts.
   */
  private Result openLoop(Request request, int seconds) throws Exception {
    ConcurrentHistogram latency = new ConcurrentHistogram(3);
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicLong lastError = new AtomicLong();
    AtomicLong planned = new AtomicLong();
    AtomicInteger inFlight = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(1);
    ranOut = false;
    started();
    long startedMillis = System.currentTimeMillis();
    long t0 = System.nanoTime();
    long endNanos = t0 + seconds * 1_000_000_000L;
    double period = 1e9 / RATE;
    vertx.setPeriodic(1, timer -> {
      long now = System.nanoTime();
      boolean over = now >= endNanos || ranOut || (MAX_REQUESTS > 0 && planned.get() >= MAX_REQUESTS);
      while (!over && t0 + (long) (planned.get() * period) <= now) {
        long due = t0 + (long) (planned.get() * period);
        inFlight.incrementAndGet();
        request.send(planned.getAndIncrement()).onComplete(r -> {
          record(r, due, latency, errors, done, lastError);
          inFlight.decrementAndGet();
        });
      }
      if (over && inFlight.get() == 0) {
        vertx.cancelTimer(timer);
        finished.countDown();
      }
    });
    finished.await();
    return new Result(latency, done.get(), errors.get(), System.currentTimeMillis() - startedMillis);
  }

  private boolean ranOut;

  /** The measured part begins: bench/measure.py reads the CPU counters on this line. */
  private void started() {
    if (!silent) {
      System.out.println("#start");
      System.out.flush();
    }
  }

  // ---- sign-in ----

  /** Per sign-in user, the TOTP step of its last sign-in: a step is accepted once (the replay guard). */
  private long[] lastStep;
  private int cursor;

  /** The next user that has not signed in during the current 30-s step, or null when none is left. */
  private String nextSignInUser(long epochSeconds) {
    if (lastStep == null) {
      lastStep = new long[users.size()];
    }
    int index = cursor;
    cursor = (cursor + 1) % users.size();
    long step = epochSeconds / 30;
    if (lastStep[index] >= step) {
      return null;
    }
    lastStep[index] = step;
    return users.get(index);
  }

  /** POST /v2/sessions with the user and a TOTP code computed here. */
  private Future<String> signIn(long n) {
    long now = System.currentTimeMillis() / 1000;
    String id = nextSignInUser(now);
    if (id == null) {
      return Future.failedFuture("out of users");
    }
    JsonObject checks = new JsonObject().put("user", new JsonObject().put("userId", id))
      .put("totp", new JsonObject().put("code", code(secretFor(id), now)));
    return call(HttpMethod.POST, "/v2/sessions", new JsonObject().put("checks", checks), true);
  }

  /** A session with the user and an otpEmail returnCode challenge, then SetSession with that code: two calls. */
  private Future<String> signInByEmail(long n) {
    String id = user(n);
    JsonObject create = new JsonObject().put("checks", new JsonObject().put("user", new JsonObject().put("userId", id)))
      .put("challenges", new JsonObject().put("otpEmail", new JsonObject().put("returnCode", new JsonObject())));
    return call(HttpMethod.POST, "/v2/sessions", create, true).compose(body -> {
      JsonObject created = new JsonObject(body);
      JsonObject check = new JsonObject().put("sessionToken", created.getString("sessionToken")).put("checks",
        new JsonObject().put("otpEmail", new JsonObject().put("code", created.getJsonObject("challenges").getString("otpEmail"))));
      return call(HttpMethod.PATCH, "/v2/sessions/" + created.getString("sessionId"), check, true);
    });
  }

  // ---- security keys (WebAuthn), a software authenticator: P-256, attestation "none", written here ----

  private static final String RP_ID = "localhost";

  /** RegisterU2F then VerifyU2FRegistration for every user of the file, as fast as it goes; the keys to stdout. */
  private void enrolWebAuthn() throws Exception {
    silent = true;
    java.util.Queue<String> lines = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.SecureRandom random = new java.security.SecureRandom();
    // a long time: it stops when the users run out
    Result r = closedLoop(n -> {
      if (n >= users.size()) {
        return Future.failedFuture("out of users");
      }
      String id = users.get((int) n);
      java.security.KeyPair keys;
      byte[] credentialId = new byte[32];
      synchronized (generator) {
        keys = generator.generateKeyPair();
        random.nextBytes(credentialId);
      }
      return call(HttpMethod.POST, "/v2/users/" + id + "/u2f", new JsonObject().put("domain", RP_ID), true)
        .compose(body -> {
          JsonObject registered = new JsonObject(body);
          JsonObject publicKey = registered.getJsonObject("publicKeyCredentialCreationOptions").getJsonObject("publicKey");
          JsonObject credential = attestation(publicKey, keys, credentialId);
          return call(HttpMethod.POST, "/v2/users/" + id + "/u2f/" + registered.getString("u2fId"),
            new JsonObject().put("publicKeyCredential", credential).put("tokenName", "bench key"), true);
        })
        .map(body -> {
          lines.add(id + "," + b64(credentialId) + "," + b64(keys.getPrivate().getEncoded()));
          return body;
        });
    }, 3600);
    if (r.errors() > 0 || lines.size() != users.size()) {
      throw new IllegalStateException("enrol-webauthn: " + r.errors() + " errors, " + lines.size() + " of " + users.size()
        + " keys registered");
    }
    lines.forEach(System.out::println);
    System.out.flush();
  }

  /** navigator.credentials.create(): attestation "none", authenticator data with the credential (counter 0). */
  private JsonObject attestation(JsonObject publicKey, java.security.KeyPair keys, byte[] credentialId) {
    byte[] clientData = clientData("webauthn.create", publicKey.getString("challenge"));
    byte[] cose = CBOR.writeValueAsBytes(
      com.webauthn4j.data.attestation.authenticator.EC2COSEKey.create((java.security.interfaces.ECPublicKey) keys.getPublic(),
        com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier.ES256));
    ByteBuffer authData = ByteBuffer.allocate(32 + 1 + 4 + 16 + 2 + credentialId.length + cose.length)
      .put(sha256(publicKey.getJsonObject("rp").getString("id").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
      .put((byte) 0x41).putInt(0).put(new byte[16]).putShort((short) credentialId.length).put(credentialId).put(cose);
    Map<String, Object> object = new java.util.LinkedHashMap<>();
    object.put("fmt", "none");
    object.put("attStmt", Map.of());
    object.put("authData", authData.array());
    byte[] attestationObject = CBOR.writeValueAsBytes(object);
    return new JsonObject().put("id", b64(credentialId)).put("rawId", b64(credentialId)).put("type", "public-key")
      .put("response", new JsonObject().put("clientDataJSON", b64(clientData)).put("attestationObject", b64(attestationObject))
        .put("transports", new io.vertx.core.json.JsonArray().add("usb")));
  }

  /** webauthn4j-core's CBOR (in the service jar), which writes its COSE key classes as COSE. */
  private static final tools.jackson.dataformat.cbor.CBORMapper CBOR =
    new com.webauthn4j.converter.util.ObjectConverter().getCborMapper();

  /** A key of the keys file: its user, credential, private key and the counter it last signed with. */
  private static final class SoftKey {
    final String userId;
    final byte[] credentialId;
    final java.security.PrivateKey privateKey;
    long counter;

    SoftKey(String line) {
      String[] f = line.split(",");
      userId = f[0];
      credentialId = java.util.Base64.getUrlDecoder().decode(f[1]);
      try {
        privateKey = java.security.KeyFactory.getInstance("EC")
          .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getUrlDecoder().decode(f[2])));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private SoftKey[] softKeys;

  private SoftKey softKey(long n) {
    if (softKeys == null) {
      softKeys = users.stream().map(SoftKey::new).toArray(SoftKey[]::new);
    }
    return softKeys[(int) (n % softKeys.length)];
  }

  /**
   * The signature counter a key signs with next: above its last, and above any an earlier client process used (each
   * run is a new process): tenths of a second since 2026-01-01 at the least, well within 32 bits for years. A key
   * is used again only after all the others, far less often than ten times a second.
   */
  private static long nextCounter(SoftKey key) {
    long floor = (System.currentTimeMillis() - 1_767_225_600_000L) / 100;
    key.counter = Math.max(key.counter + 1, floor);
    return key.counter;
  }

  /** A session with the user and a webAuthN challenge, then SetSession with the key's assertion: two calls. */
  private Future<String> signInByWebAuthn(long n) {
    SoftKey key = softKey(n);
    JsonObject create = new JsonObject().put("checks", new JsonObject().put("user", new JsonObject().put("userId", key.userId)))
      .put("challenges", new JsonObject().put("webAuthN", new JsonObject().put("domain", RP_ID)
        .put("userVerificationRequirement", "USER_VERIFICATION_REQUIREMENT_DISCOURAGED")));
    return call(HttpMethod.POST, "/v2/sessions", create, true).compose(body -> {
      JsonObject created = new JsonObject(body);
      JsonObject publicKey = created.getJsonObject("challenges").getJsonObject("webAuthN")
        .getJsonObject("publicKeyCredentialRequestOptions").getJsonObject("publicKey");
      JsonObject check = new JsonObject().put("sessionToken", created.getString("sessionToken")).put("checks",
        new JsonObject().put("webAuthN", new JsonObject().put("credentialAssertionData", assertion(publicKey, key))));
      return call(HttpMethod.PATCH, "/v2/sessions/" + created.getString("sessionId"), check, true);
    });
  }

  /** navigator.credentials.get(): user present (no verification), the next counter, ECDSA-SHA256 (DER). */
  private JsonObject assertion(JsonObject publicKey, SoftKey key) {
    byte[] clientData = clientData("webauthn.get", publicKey.getString("challenge"));
    byte[] authData = ByteBuffer.allocate(37)
      .put(sha256(publicKey.getString("rpId").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
      .put((byte) 0x01).putInt((int) nextCounter(key)).array();
    byte[] signature;
    try {
      java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
      s.initSign(key.privateKey);
      s.update(authData);
      s.update(sha256(clientData));
      signature = s.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    String id = b64(key.credentialId);
    return new JsonObject().put("id", id).put("rawId", id).put("type", "public-key")
      .put("response", new JsonObject().put("clientDataJSON", b64(clientData)).put("authenticatorData", b64(authData))
        .put("signature", b64(signature)));
  }

  private byte[] clientData(String type, String challenge) {
    return new JsonObject().put("type", type).put("challenge", challenge).put("origin", origin).put("crossOrigin", false)
      .encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] value) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  /** The bench's TOTP secret of a user: base32 of HMAC-SHA1("mfa-bench", id), 20 bytes; the seed and the client agree. */
  static String secretFor(String userId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec("mfa-bench".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "RAW"));
      return base32Encode(mac.doFinal(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** CSV rows for totp_factors (user_id, secret_sealed): each secret sealed as the service seals it, with its key. */
  private static void seedTotp(String masterKey, Path usersFile) throws Exception {
    dev.mfaservice.crypto.Keyring keyring = dev.mfaservice.crypto.Keyring.parse(masterKey, new java.security.SecureRandom());
    java.io.PrintStream out = new java.io.PrintStream(new java.io.BufferedOutputStream(System.out, 1 << 16), false);
    for (String id : Files.readAllLines(usersFile)) {
      if (id.isBlank()) {
        continue;
      }
      byte[] sealed = keyring.seal(secretFor(id).getBytes(java.nio.charset.StandardCharsets.US_ASCII), "totp_factors:" + id);
      out.print(id);
      out.print(",\\x");
      out.println(java.util.HexFormat.of().formatHex(sealed));
    }
    out.flush();
  }

  static String base32Encode(byte[] data) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  private String user(long n) {
    return users.get((int) (n % users.size()));
  }

  private void report(String scenario, Result r) {
    if (silent) {
      return;
    }
    double seconds = r.millis() / 1000.0;
    System.out.println(new JsonObject().put("scenario", scenario).put("connections", connections)
      .put("seconds", Math.round(seconds * 10) / 10.0).put("requests", r.requests()).put("errors", r.errors())
      .put("rps", Math.round(r.requests() / seconds))
      .put("p50_ms", ms(r.latency().getValueAtPercentile(50))).put("p99_ms", ms(r.latency().getValueAtPercentile(99)))
      .put("p999_ms", ms(r.latency().getValueAtPercentile(99.9))).put("rate", RATE > 0 ? RATE : null)
      .put("invalid", ranOut ? "ran out of users before the time was up" : null).encode());
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  /** RFC 6238 with SHA1, 6 digits, 30 s, written here so the client shares no code with the service. */
  static String code(String base32, long epochSeconds) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(base32Decode(base32), "RAW"));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(epochSeconds / 30).array());
      int o = h[h.length - 1] & 0xF;
      int bin = ((h[o] & 0x7F) << 24) | ((h[o + 1] & 0xFF) << 16) | ((h[o + 2] & 0xFF) << 8) | (h[o + 3] & 0xFF);
      return String.format("%06d", bin % 1_000_000);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] base32Decode(String s) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
    int buffer = 0;
    int bits = 0;
    for (char c : s.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.put((byte) (buffer >> (bits - 8)));
        bits -= 8;
      }
    }
    return out.array();
  }
}
