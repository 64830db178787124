package dev.mfaservice.webauthn;

import com.webauthn4j.data.AuthenticationData;
import dev.mfaservice.crypto.FastEcdsa;
import dev.mfaservice.support.SoftAuthenticator;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.security.Security;
import java.time.Instant;
import java.util.List;

/**
 * On demand, not a test: the thread CPU of one security-key sign-in's ceremony (WebAuthnCeremony.authenticate, an ES256
 * assertion of a key registered through the same ceremony), with the ES256 check of {@link FastEcdsa} and with the
 * JDK's, alternating in one JVM so that both see the same machine. The assertions are made outside the timing.
 * <pre>
 *   java -cp target/test-classes:target/classes:$(cat cp.txt) dev.mfaservice.webauthn.CeremonyCost [rounds] [per-round]
 * </pre>
 */
public final class CeremonyCost {
  private static final String ORIGIN = "https://example.com";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final SecureRandom random = new SecureRandom();
  private final WebAuthnCeremony ceremony = new WebAuthnCeremony(List.of(ORIGIN));
  private final SoftAuthenticator authenticator = new SoftAuthenticator(SoftAuthenticator.Alg.ES256);
  private WebAuthnKey key;

  private CeremonyCost() {
    WebAuthnChallenge challenge = challenge(WebAuthnChallenge.Purpose.REGISTER);
    JsonObject options = new JsonObject().put("publicKey", new JsonObject()
      .put("challenge", SoftAuthenticator.b64(challenge.challenge())).put("rp", new JsonObject().put("id", "example.com")));
    WebAuthnCeremony.Credential c = ceremony.register(CredentialJson.registration(authenticator.create(options, ORIGIN)),
      challenge);
    key = new WebAuthnKey("k", "u", "example.com", "key", c.credentialId(), c.publicKey(), c.aaguid(), c.signCount(),
      c.transports(), true, Instant.now());
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    CeremonyCost cost = new CeremonyCost();
    System.out.println("java " + System.getProperty("java.version") + ", " + perRound + " sign-ins per round");
    for (int round = 0; round < rounds * 2; round++) {
      boolean fast = round % 2 == 0;
      if (fast) {
        FastEcdsa.install();
      } else {
        Security.removeProvider(FastEcdsa.NAME);
      }
      System.out.printf("round %d, ES256 by %-8s %7.1f µs of thread CPU per authenticate%n", round / 2,
        fast ? "FastEcdsa" : "the JDK", cost.round(perRound) / 1000.0);
    }
  }

  /** Mean thread CPU (ns) of authenticate over n fresh assertions. */
  private long round(int n) {
    long cpu = 0;
    for (int i = 0; i < n; i++) {
      WebAuthnChallenge challenge = challenge(WebAuthnChallenge.Purpose.LOGIN);
      JsonObject options = new JsonObject().put("publicKey", new JsonObject()
        .put("challenge", SoftAuthenticator.b64(challenge.challenge())).put("rpId", "example.com"));
      CredentialJson.Assertion assertion = CredentialJson.assertion(authenticator.get(options, ORIGIN));
      long start = THREADS.getCurrentThreadCpuTime();
      AuthenticationData data = ceremony.authenticate(assertion, challenge, key);
      cpu += THREADS.getCurrentThreadCpuTime() - start;
      key = new WebAuthnKey(key.id(), key.userId(), key.rpId(), key.name(), key.credentialId(), key.publicKey(),
        key.aaguid(), data.getAuthenticatorData().getSignCount(), key.transports(), true, key.createdAt());
    }
    return cpu / n;
  }

  private WebAuthnChallenge challenge(WebAuthnChallenge.Purpose purpose) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return new WebAuthnChallenge(purpose, "s", "u", bytes, "example.com", "discouraged", Instant.now().plusSeconds(300));
  }
}
