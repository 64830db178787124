package dev.mfaservice.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * RegisterTOTP over REST, Connect JSON (HTTP/1.1, the RPC bridge) and gRPC (HTTP/2, h2c): the same closed loop and
 * connections, each on users of its own (user 3n, 3n+1, 3n+2).
 */
final class RegisterTotpRpc {
  private static final String METHOD = "/zitadel.user.v2.UserService/RegisterTOTP";
  private final Driver driver;

  RegisterTotpRpc(Driver driver) {
    this.driver = driver;
  }

  Request rest() {
    return onUser(0, id -> driver.api().call(HttpMethod.POST, "/v2/users/" + id + "/totp", new JsonObject(), true));
  }

  Request connect() {
    return onUser(1, id -> driver.api().call(HttpMethod.POST, METHOD, new JsonObject().put("userId", id), true));
  }

  Request grpc() {
    return onUser(2, id -> driver.api().grpc(METHOD, stringField(1, id)));
  }

  /** Request n on user 3n + {@code offset}, until the users run out. */
  private Request onUser(int offset, Function<String, Future<String>> call) {
    List<String> users = driver.options().users();
    return n -> 3 * n + 2 >= users.size() ? Request.outOfUsers() : call.apply(users.get((int) (3 * n + offset)));
  }

  /** A protobuf message with one string field. */
  private static byte[] stringField(int number, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 127) {
      throw new IllegalArgumentException("value too long for this encoder");
    }
    byte[] message = new byte[bytes.length + 2];
    message[0] = (byte) (number << 3 | 2);
    message[1] = (byte) bytes.length;
    System.arraycopy(bytes, 0, message, 2, bytes.length);
    return message;
  }
}
