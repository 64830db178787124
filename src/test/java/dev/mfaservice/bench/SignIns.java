package dev.mfaservice.bench;

import dev.mfaservice.support.Rfc6238;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * Sign-ins with a code: TOTP (the test kit's RFC 6238, each user at most once per 30-s step), email (returnCode) and SMS
 * (sent: the code read at the {@link SmsSink}).
 */
final class SignIns {
  private final Driver driver;
  /** Per sign-in user, the TOTP step of its last sign-in: a step is accepted once (the replay guard). */
  private long[] lastStep;
  private int cursor;

  SignIns(Driver driver) {
    this.driver = driver;
  }

  /** POST /v2/sessions with the user and a TOTP code computed here from the user's seeded secret. */
  Future<String> byTotp(long n) {
    long now = System.currentTimeMillis() / 1000;
    String id = nextUser(now);
    if (id == null) {
      return Request.outOfUsers();
    }
    JsonObject checks = new JsonObject().put("user", new JsonObject().put("userId", id))
      .put("totp", new JsonObject().put("code", Rfc6238.code(SeedTotp.secretFor(id), now)));
    return driver.api().call(HttpMethod.POST, "/v2/sessions", new JsonObject().put("checks", checks), true);
  }

  /** The next user that has not signed in during the current 30-s step, or null when none is left. */
  private String nextUser(long epochSeconds) {
    List<String> users = driver.options().users();
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

  /** A session with the user and an otpEmail returnCode challenge, then SetSession with that code: two calls. */
  Future<String> byEmail(long n) {
    return byCode(n, "otpEmail", new JsonObject().put("returnCode", new JsonObject()),
      created -> Future.succeededFuture(created.getJsonObject("challenges").getString("otpEmail")));
  }

  /**
   * A session with the user and an otpSms challenge, the code sent (the seed's phone of sgn-N: +4176 and N in 7 digits),
   * then SetSession with the code the SMS brought: two calls.
   */
  Future<String> bySms(long n) {
    String phone = "+4176" + String.format("%07d", Long.parseLong(driver.options().user(n).substring("sgn-".length())));
    Future<String> sms = driver.smsSink().expect(phone);
    return byCode(n, "otpSms", new JsonObject(), created -> sms);
  }

  private Future<String> byCode(long n, String factor, JsonObject challenge,
                                Function<JsonObject, Future<String>> code) {
    Api api = driver.api();
    JsonObject create = new JsonObject()
      .put("checks", new JsonObject().put("user", new JsonObject().put("userId", driver.options().user(n))))
      .put("challenges", new JsonObject().put(factor, challenge));
    return api.call(HttpMethod.POST, "/v2/sessions", create, true).compose(body -> {
      JsonObject created = new JsonObject(body);
      return code.apply(created).compose(c -> api.call(HttpMethod.PATCH, "/v2/sessions/" + created.getString("sessionId"),
        new JsonObject().put("sessionToken", created.getString("sessionToken"))
          .put("checks", new JsonObject().put(factor, new JsonObject().put("code", c))), true));
    });
  }
}
