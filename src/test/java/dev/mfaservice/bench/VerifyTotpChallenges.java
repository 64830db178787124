package dev.mfaservice.bench;

/**
 * NOT WIRED YET: the Verify TOTP scenario of issue 28 ("TOTP challenge"), to finish once Verify's Entities, Factors
 * and Challenges are on main. Its shape, as {@link VerifyCodes} (whose set-up gives the Basic header and the Service):
 * set-up, silent ({@link Driver#silently}), per entity of the users file, Create Factor (FactorType=totp,
 * {@code POST /v2/Services/{VA}/Entities/{identity}/Factors}), its binding secret kept, then Update Factor with a code
 * computed here (dev.mfaservice.support.Rfc6238) to verify it; per request Create Challenge
 * ({@code POST …/Entities/{identity}/Challenges}, FactorSid, AuthPayload = the current code) → status approved, each
 * entity at most once per 30-s step (the replay guard, as {@link SignIns#byTotp}). To wire it: this class's request,
 * {@code byName.put("verify-totp-challenge", …)} in {@link Scenarios} (the marked line), and the scenario in bench/run's
 * ONLY=verify lines (marked there too), its statements sample included.
 */
final class VerifyTotpChallenges {
  /** Its calls: {@code driver.api().form(…)} with the Basic header, as {@link VerifyCodes}. */
  private final Driver driver;

  VerifyTotpChallenges(Driver driver) {
    this.driver = driver;
  }

  /** The scenario's requests: one TOTP challenge approved. */
  Request challenge() {
    throw new UnsupportedOperationException("Verify TOTP (Entities, Factors, Challenges) is not on this branch yet");
  }
}
