package dev.mfaservice.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.support.Fixtures;
import dev.mfaservice.support.Http;
import dev.mfaservice.support.Load;
import dev.mfaservice.support.Rfc6238;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the failover test keeps asking two instances for, one kind per worker (each worker with
 * its own user, on instance {@code worker % 2}): email codes sent (SetEmail), SMS codes sent
 * (SetPhone), orgs created, TOTP registrations, sign-ins with user + TOTP, sign-ins with the user
 * alone. A TOTP sign-in uses each time step of its user once, the current or the next one (both
 * stay valid for at least 30 s), so an answer other than 201 or 503 is a failure of the service.
 */
final class FailoverLoad {
  static final int WORKERS = 12;

  enum Kind { MAIL, SMS, ORG, TOTP_REGISTRATION, TOTP_SIGN_IN, SESSION }

  private final int[] ports;
  private final String token;
  private final List<String> users;
  private final Map<Integer, String> totpSecrets = new HashMap<>();
  /** Per worker, the last TOTP time step a request carried (enrolment's included). */
  private final AtomicLongArray lastStep = new AtomicLongArray(WORKERS);

  private FailoverLoad(int[] ports, String token, List<String> users) {
    this.ports = ports;
    this.token = token;
    this.users = users;
  }

  /** An org with a user per worker; the TOTP sign-in workers' users with a verified TOTP. */
  static FailoverLoad setUp(int[] ports, String token) {
    Http http = new Http(ports[0]);
    FailoverLoad load = new FailoverLoad(ports, token, Fixtures.orgWithUsers(http, token, "ha", WORKERS));
    for (int w = 0; w < WORKERS; w++) {
      if (kind(w) == Kind.TOTP_SIGN_IN) {
        String user = load.users.get(w);
        String secret = http.post("/v2/users/" + user + "/totp", token, new JsonObject()).json().getString("secret");
        long now = System.currentTimeMillis() / 1000;
        assertEquals(200, http.post("/v2/users/" + user + "/totp/verify", token,
          new JsonObject().put("code", Rfc6238.code(secret, now))).status());
        load.totpSecrets.put(w, secret);
        load.lastStep.set(w, now / 30);
      }
    }
    return load;
  }

  static Kind kind(int worker) {
    return Kind.values()[worker % Kind.values().length];
  }

  String user(int worker) {
    return users.get(worker);
  }

  /** Request {@code i} of {@code worker} in round {@code round} (1..9; it makes addresses and numbers unique). */
  Load.Request request(int round, String run, int worker, int i) {
    int port = ports[worker % 2];
    String user = users.get(worker);
    return switch (kind(worker)) {
      case MAIL -> new Load.Request(port, "POST", "/v2/users/" + user + "/email", token,
        new JsonObject().put("email", run + "-" + worker + "-" + i + "@ha.test").encode(), "MAIL");
      case SMS -> new Load.Request(port, "POST", "/v2/users/" + user + "/phone", token,
        new JsonObject().put("phone", phone(round, worker, i)).encode(), "SMS");
      case ORG -> new Load.Request(port, "POST", "/v2/organizations", token,
        new JsonObject().put("name", "ha " + run + " " + worker + " " + i).encode(), "ORG");
      case TOTP_REGISTRATION -> new Load.Request(port, "POST", "/v2/users/" + user + "/totp", token, "{}", "TOTP_REGISTRATION");
      case TOTP_SIGN_IN -> signIn(port, worker, user);
      case SESSION -> session(port, user, new JsonObject(), "SESSION");
    };
  }

  /** A German mobile number (+49 151 and 8 digits) for each round, worker and request. */
  static String phone(int round, int worker, int i) {
    if (i >= 100_000) {
      throw new IllegalStateException("more SMS requests in a round than numbers");
    }
    return String.format("+49151%d%02d%05d", round, worker, i);
  }

  private Load.Request signIn(int port, int worker, String user) {
    long now = System.currentTimeMillis() / 1000 / 30;
    long last = lastStep.get(worker);
    if (last > now) { // the current and the next step are both used: sign in with the user alone this time
      return session(port, user, new JsonObject(), "SESSION");
    }
    long step = Math.max(now, last + 1);
    lastStep.set(worker, step);
    String code = Rfc6238.code(totpSecrets.get(worker), step * 30);
    return session(port, user, new JsonObject().put("totp", new JsonObject().put("code", code)), "TOTP_SIGN_IN");
  }

  private Load.Request session(int port, String user, JsonObject checks, String tag) {
    checks.put("user", new JsonObject().put("userId", user));
    return new Load.Request(port, "POST", "/v2/sessions", token, new JsonObject().put("checks", checks).encode(), tag);
  }
}
