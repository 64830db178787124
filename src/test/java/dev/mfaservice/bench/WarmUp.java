package dev.mfaservice.bench;

import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.SoftAuthenticator;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Warm-ups, unreported: the client's own (before anything is measured) and the scenario warmup (the service's JIT). */
final class WarmUp {
  private final Driver driver;
  private final PlainCalls plain;
  private final TotpEnrolment totp;

  WarmUp(Driver driver, PlainCalls plain, TotpEnrolment totp) {
    this.driver = driver;
    this.plain = plain;
    this.totp = totp;
  }

  /**
   * The connections opened and the client's own classes loaded and compiled (a fresh JVM on a busy machine otherwise
   * spends its first seconds on them), with local TOTP codes, JSON, a key's signatures and GET /healthz.
   */
  void client() throws Exception {
    driver.silently(() -> {
      long sink = codesAndJson() + assertions();
      driver.measure(plain.healthz(), 2);
      if (sink == 42) {
        System.err.print("");
      }
    });
  }

  private static long codesAndJson() {
    long sink = 0;
    for (int i = 0; i < 20_000; i++) {
      sink += Rfc6238.code(SeedTotp.secretFor("warm-" + (i % 100)), i * 30L).hashCode();
      sink += new JsonObject().put("checks", new JsonObject().put("n", i)).encode().length();
    }
    return sink;
  }

  /** With a keys file (sign-in-webauthn): its first key's signatures, on a copy of the key (its counter untouched). */
  private long assertions() {
    List<String> users = driver.options().users();
    if (users.isEmpty() || !driver.options().scenarios().contains("sign-in-webauthn")) {
      return 0;
    }
    BenchKey key = BenchKey.parse(users.get(0));
    JsonObject options = new JsonObject().put("publicKey", new JsonObject()
      .put("challenge", SoftAuthenticator.b64(new byte[32])).put("rpId", BenchKey.RP_ID));
    long sink = 0;
    for (int i = 0; i < 3_000; i++) {
      sink += key.assertion(options, driver.options().origin()).encode().length();
    }
    return sink;
  }

  /**
   * The scenario warmup: every code path measured later, for the service's JIT (its compiler threads otherwise take
   * half the CPU of the first seconds); nothing is reported.
   */
  void scenario() throws Exception {
    int seconds = driver.options().seconds();
    driver.measure(plain.healthz(), seconds);
    driver.measure(plain.getUser(), seconds);
    driver.measure(plain.addOtpEmail("w"), seconds);
    driver.silently(totp::totp);
  }
}
