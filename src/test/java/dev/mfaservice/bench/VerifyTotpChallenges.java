package dev.mfaservice.bench;

import dev.mfaservice.bench.VerifyTotpFactors.Factor;
import dev.mfaservice.support.Rfc6238;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * verify-totp-challenge: Twilio Verify's TOTP challenge as an app sends it, one call: Create Challenge
 * ({@code POST /v2/Services/{VA}/Entities/{identity}/Challenges}, FactorSid, AuthPayload = the factor's current code,
 * computed here with the test kit's RFC 6238 from the secret its creation handed out) → approved. The users file is
 * the factors file enrol-verify-totp wrote ({@link VerifyTotpFactors}); set up on first use, silent: a credential of
 * the bench org ({@link VerifyAccount}).
 * <p>A factor accepts a time step once (the replay guard, its last accepted step): the factors take turns, the one
 * whose last step is oldest first, each asked with the current step's code at most once per 30-s step. When the next
 * in turn has had the current step already, every factor has: the run ends (out of users, the report says so) rather
 * than send a code the service must refuse. A refusal all the same (answered, not approved) is an error, counted apart.
 */
final class VerifyTotpChallenges {
  private final Driver driver;
  private VerifyAccount account;
  /** Oldest last step first. One request at a time takes its turn: the client's one event loop. */
  private ArrayDeque<Factor> turns;

  VerifyTotpChallenges(Driver driver) {
    this.driver = driver;
  }

  /** The scenario's requests: one TOTP challenge approved. */
  Request challenge() throws InterruptedException {
    setUp();
    return n -> {
      long now = System.currentTimeMillis() / 1000;
      Factor factor = next(Math.floorDiv(now, 30L));
      if (factor == null) {
        return Request.outOfUsers();
      }
      return account.post(factor.entity() + "/Challenges", "FactorSid=" + factor.sid() + "&AuthPayload="
        + Rfc6238.code(factor.secret(), now)).compose(VerifyAccount::approved);
    };
  }

  /** The factor whose turn it is, now at {@code step}; null when each has had this step. */
  private Factor next(long step) {
    Factor head = turns.peekFirst();
    if (head == null || head.step() >= step) {
      return null;
    }
    turns.pollFirst();
    turns.addLast(head.usedAt(step));
    return head;
  }

  /** The credential and the turns; if the first in turn had the current step already (just enrolled), the next step. */
  private void setUp() throws InterruptedException {
    if (account != null) {
      return;
    }
    account = VerifyAccount.create(driver.api());
    turns = driver.options().users().stream().map(Factor::parse).sorted(Comparator.comparingLong(Factor::step))
      .collect(Collectors.toCollection(ArrayDeque::new));
    long now = System.currentTimeMillis();
    if (!turns.isEmpty() && turns.peekFirst().step() >= Math.floorDiv(now, 30_000L)) {
      Thread.sleep(30_000L - Math.floorMod(now, 30_000L) + 10);
    }
  }
}
