package dev.mfaservice.bench;

import dev.mfaservice.support.Rfc6238;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * enrol-verify-totp: per identity of the users file, a TOTP Factor of Twilio Verify through its API, unmeasured, all in
 * one new Service: Create Factor ({@code POST /v2/Services/{VA}/Entities/{identity}/Factors}, FactorType=totp; the
 * binding secret kept), then Update Factor ({@code POST …/Factors/{YF}}) with the current code (the test kit's RFC 6238)
 * → verified. The factors file to standard output, a line per factor ({@link Factor#line}).
 */
final class VerifyTotpFactors {
  private final Driver driver;

  VerifyTotpFactors(Driver driver) {
    this.driver = driver;
  }

  /**
   * A verified factor: its Service, Entity and SID, its secret, and the last time step it accepted (its verification's,
   * then its last challenge's: the replay guard takes a later one only).
   */
  record Factor(String service, String identity, String sid, String secret, long step) {
    static Factor parse(String line) {
      String[] f = line.split(",");
      return new Factor(f[0], f[1], f[2], f[3], Long.parseLong(f[4]));
    }

    /** service,identity,factor sid,secret,step */
    String line() {
      return String.join(",", service, identity, sid, secret, Long.toString(step));
    }

    String entity() {
      return "/v2/Services/" + service + "/Entities/" + identity;
    }

    Factor usedAt(long newStep) {
      return new Factor(service, identity, sid, secret, newStep);
    }
  }

  void run() throws Exception {
    VerifyAccount account = VerifyAccount.create(driver.api());
    String service = account.newService("Bench TOTP");
    driver.enrolEach("enrol-verify-totp", identity -> enrol(account, service, identity));
  }

  private static Future<String> enrol(VerifyAccount account, String service, String identity) {
    Factor entity = new Factor(service, identity, "", "", 0);
    return account.post(entity.entity() + "/Factors", "FriendlyName=bench&FactorType=totp").compose(body -> {
      JsonObject created = new JsonObject(body);
      String secret = created.getJsonObject("binding").getString("secret");
      long now = System.currentTimeMillis() / 1000;
      Factor factor = new Factor(service, identity, created.getString("sid"), secret, Math.floorDiv(now, 30L));
      return account.post(entity.entity() + "/Factors/" + factor.sid(), "AuthPayload=" + Rfc6238.code(secret, now))
        .compose(answer -> "verified".equals(new JsonObject(answer).getString("status"))
          ? Future.succeededFuture(factor.line()) : Future.failedFuture("not verified: " + answer));
    });
  }
}
