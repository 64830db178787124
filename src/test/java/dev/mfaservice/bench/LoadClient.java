package dev.mfaservice.bench;

import dev.mfaservice.crypto.FastEcdsa;
import java.nio.file.Path;
import java.util.List;

/** bench/run's load client: picks the command (seed-totp, enrol-webauthn, enrol-verify-totp or scenarios) and runs it. */
public final class LoadClient {
  private LoadClient() {
  }

  /** See {@link Options} for the command line. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("seed-totp")) {
      SeedTotp.print(args[1], Path.of(args[2]));
      return;
    }
    // the software keys of sign-in-webauthn sign with the service's ES256 provider: a third of the JDK 17 SunEC's CPU,
    // which the load client would otherwise take from the two cores the service and PostgreSQL share with it
    FastEcdsa.install();
    Options options = Options.parse(args);
    Api api = new Api(options.url(), options.token(), options.connections());
    try {
      run(options, new Driver(options, api));
    } finally {
      api.close();
    }
  }

  private static void run(Options options, Driver driver) throws Exception {
    if (options.scenarios().equals(List.of("enrol-webauthn"))) {
      new WebAuthnEnrolment(driver).run();
      return;
    }
    if (options.scenarios().equals(List.of("enrol-verify-totp"))) {
      new VerifyTotpFactors(driver).run();
      return;
    }
    Scenarios scenarios = new Scenarios(driver);
    if (!options.scenarios().contains("hold")) {
      scenarios.warmClient();
    }
    for (String scenario : options.scenarios()) {
      scenarios.run(scenario);
    }
  }
}
