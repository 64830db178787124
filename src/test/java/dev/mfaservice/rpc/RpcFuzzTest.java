package dev.mfaservice.rpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.mfaservice.rpc.RpcWire.Answer;
import dev.mfaservice.support.JsonMutations;
import dev.mfaservice.support.JsonMutations.Input;
import dev.mfaservice.support.RowCounts;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every RPC of the catalog over Connect JSON, Connect binary, gRPC-web (binary, JSON and
 * text) and gRPC (h2c) with mutated messages and frames (issue 15 item 10). Seeded and bounded:
 * {@code -Dfuzz.seed=… -Dfuzz.count=…} replays or widens a run. Invariants: no 5xx, no INTERNAL,
 * UNKNOWN or DATA_LOSS, an answer within the deadline, no row changed by a refused call, and a
 * normal call still served afterwards.
 */
class RpcFuzzTest {
  static final long SEED = Long.getLong("fuzz.seed", 0x15_10L);
  static final int COUNT = Integer.getInteger("fuzz.count", 250);
  private static final Set<String> NEVER = Set.of("internal", "unknown", "data_loss", "2", "13", "15");
  static TestServer server;
  static RpcWire wire;
  static RowCounts rows;
  static String admin;
  static String user;
  static String org;
  static List<Rpc> rpcs = new ArrayList<>();

  /** An RPC with a plausible request, in proto3 JSON and binary. */
  record Rpc(String path, Descriptor input, JsonObject json, byte[] binary) {
  }

  @FunctionalInterface
  interface Call {
    Answer send(Rpc rpc, Random random, String token) throws Exception;
  }


  @BeforeAll
  static void start() {
    server = TestServer.start(RpcFuzzTest.class);
    admin = server.adminToken();
    org = server.createOrg("Fuzz Org");
    user = server.createUser(org, "fuzzed");
    wire = new RpcWire(server.config.http().port());
    rows = new RowCounts(server.database);
    for (ServiceDescriptor service : RpcCatalog.services()) {
      service.getMethods().forEach(m -> {
        JsonObject json = ProtoMutations.base(m.getInputType(), name -> name.toLowerCase().contains("org") ? org
          : m.getName().equals("DeleteUser") ? "404404404" : user, 0);
        rpcs.add(new Rpc("/" + service.getFullName() + "/" + m.getName(), m.getInputType(), json,
          ProtoMutations.binary(m.getInputType(), json)));
      });
    }
  }

  @AfterAll
  static void stop() throws Exception {
    wire.close();
    rows.close();
    server.close();
  }

  @Test
  void connectJson() throws Exception {
    fuzz("connect-json", (rpc, random, token) -> {
      Input in = new JsonMutations(random).mutate(rpc.json());
      return wire.http1(rpc.path(), "application/json", sent(in).bytes(), token);
    }, () -> wire.http1(getUser(), "application/json", userJson(), admin));
  }

  @Test
  void connectProto() throws Exception {
    fuzz("connect-proto", (rpc, random, token) -> {
      Input in = new ProtoMutations(random).mutate(rpc.input(), rpc.binary());
      return wire.http1(rpc.path(), "application/proto", sent(in).bytes(), token);
    }, () -> wire.http1(getUser(), "application/proto", userBinary(), admin));
  }

  @Test
  void grpcWeb() throws Exception {
    String[] types = {"application/grpc-web", "application/grpc-web+proto", "application/grpc-web+json", "application/grpc-web-text"};
    fuzz("grpc-web", (rpc, random, token) -> {
      String type = types[random.nextInt(types.length)];
      Input in = new ProtoMutations(random).frame(message(rpc, random, type));
      byte[] body = in.bytes();
      if (type.endsWith("-text")) {
        String text = Base64.getEncoder().encodeToString(body);
        body = (random.nextInt(5) == 0 ? text.substring(0, text.length() / 2) + "*!" : text).getBytes(StandardCharsets.US_ASCII);
      }
      sent(new Input(type + ":" + in.what(), in.bytes()));
      return wire.http1(rpc.path(), type, body, token);
    }, () -> wire.http1(getUser(), "application/grpc-web+proto", ProtoMutations.prefixed(0, userBinary().length, userBinary()), admin));
  }

  /** gRPC over h2c, by OkHttp (see {@link RpcWire#h2}); run in every build. */
  @Test
  void grpcOverH2c() throws Exception {
    String[] types = {"application/grpc", "application/grpc+proto", "application/grpc+json"};
    String[][] headers = {{"grpc-timeout", "1n"}, {"grpc-timeout", "99999999H"}, {"grpc-timeout", "-5S"}, {"grpc-timeout", "x"},
      {"grpc-encoding", "gzip"}, {"grpc-encoding", "identity"}, {"x-zitadel-orgid", "1"}};
    fuzz("grpc", (rpc, random, token) -> {
      String type = types[random.nextInt(types.length)];
      Input in = new ProtoMutations(random).frame(message(rpc, random, type));
      String[] header = headers[random.nextInt(headers.length)];
      Map<String, String> extra = random.nextInt(4) == 0 ? Map.of(header[0], header[1]) : Map.of();
      sent(new Input(type + extra + ":" + in.what(), in.bytes()));
      return wire.h2(rpc.path(), type, in.bytes(), token, extra);
    }, () -> wire.h2(getUser(), "application/grpc", ProtoMutations.prefixed(0, userBinary().length, userBinary()), admin, Map.of()));
  }

  private static Input message(Rpc rpc, Random random, String type) {
    return type.endsWith("+json") ? new JsonMutations(random).mutate(rpc.json())
      : new ProtoMutations(random).mutate(rpc.input(), rpc.binary());
  }

  /** The input of the current request, for the failure message. */
  private static final ThreadLocal<Input> SENT = new ThreadLocal<>();

  private static Input sent(Input in) {
    SENT.set(in);
    return in;
  }

  /** Sends COUNT mutated calls (round robin over the RPCs), checks each, then one normal call. */
  private static void fuzz(String protocol, Call call, java.util.concurrent.Callable<Answer> normal) throws Exception {
    long seed = SEED ^ protocol.hashCode();
    Random random = new Random(seed);
    List<String> failures = new ArrayList<>();
    String before = rows.snapshot();
    long started = System.nanoTime();
    for (int i = 0; i < COUNT && failures.size() < 10; i++) {
      Rpc rpc = rpcs.get(i % rpcs.size());
      String token = random.nextInt(8) == 0 ? null : admin;
      SENT.remove();
      Answer answer;
      try {
        answer = call.send(rpc, random, token);
      } catch (Exception e) {
        Input in = SENT.get();
        failures.add("#" + i + " " + rpc.path() + " " + (in == null ? "" : in.what() + " ") + "no answer within the deadline: " + e
          + (in == null ? "" : "\n    input: " + HexFormat.of().formatHex(in.bytes(), 0, Math.min(in.bytes().length, 200))));
        before = rows.snapshot();
        RpcWire.dumpEventLoops();
        continue;
      }
      String after = rows.snapshot();
      String problem = problem(answer, protocol, before, after);
      if (problem != null) {
        Input in = SENT.get();
        failures.add("#" + i + " " + rpc.path() + " token=" + (token != null) + " " + in.what() + " → " + answer + ": " + problem
          + "\n    input: " + HexFormat.of().formatHex(in.bytes(), 0, Math.min(in.bytes().length, 200)));
      }
      before = after;
    }
    System.out.printf("fuzz %s: %d requests over %d RPCs in %d ms (seed %d)%n", protocol, COUNT, rpcs.size(),
      (System.nanoTime() - started) / 1_000_000, SEED);
    assertTrue(failures.isEmpty(), "fuzz " + protocol + " with -Dfuzz.seed=" + SEED + " -Dfuzz.count=" + COUNT + ":\n  "
      + String.join("\n  ", failures));
    assertTrue(normal.call().ok(), "a normal call after the fuzz");
  }

  private static String problem(Answer answer, String protocol, String before, String after) {
    if (answer.code() == null) {
      return "no status";
    }
    if (NEVER.contains(answer.code())) {
      return "an unexpected error";
    }
    if (answer.http() >= 500 && !(answer.http() == 501 && answer.code().equals("unimplemented"))) {
      return "a 5xx";
    }
    if (protocol.startsWith("grpc") && answer.http() != 200) {
      return "gRPC answered with HTTP " + answer.http();
    }
    return !answer.ok() && !before.equals(after) ? "a refused call changed rows: " + before + " → " + after : null;
  }

  private static String getUser() {
    return "/zitadel.user.v2.UserService/GetUserByID";
  }

  private static byte[] userJson() {
    return new JsonObject().put("userId", user).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] userBinary() {
    return dev.mfaservice.proto.zitadel.user.v2.GetUserByIDRequest.newBuilder().setUserId(user).build().toByteArray();
  }
}
