package dev.mfaservice.twilioverify;

import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;

/**
 * VerificationCheck: a code against the pending verification (by VerificationSid or To), under its row's lock, so of
 * parallel checks with the right code one approves. Wrong: 200 pending and one more miss; the 5th miss ends it
 * ({@code max_attempts_reached}, 429/60202). Right: approved, the code gone (single use).
 */
final class VerificationChecks {
  static final int MAX_CHECKS = 5;
  static final String MAX_ATTEMPTS = "max_attempts_reached";
  private final Transactions transactions;
  private final VerificationRepository verifications;
  private final VerificationCommands commands;
  private final Clock clock;

  VerificationChecks(Transactions transactions, VerificationRepository verifications, VerificationCommands commands,
                     Clock clock) {
    this.transactions = transactions;
    this.verifications = verifications;
    this.commands = commands;
    this.clock = clock;
  }

  /** The verification as checked, and the error to answer instead of it (the miss that ended it), if any. */
  private record Checked(Verification verification, TwilioError error) {
  }

  Future<Verification> check(TwilioCredential account, String serviceSid, JsonObject input) {
    String sid = input.getString("VerificationSid");
    String to = input.getString("To");
    String code = input.getString("Code");
    if (sid == null && to == null) {
      return Future.failedFuture(new TwilioError(60221, 400, "No target verification specified"));
    }
    if (code == null) {
      return Future.failedFuture(TwilioError.invalidParameter("Code"));
    }
    return transactions.run(tx -> locked(tx, account, serviceSid, sid, to)
      .compose(found -> exhausted(found) ? Future.failedFuture(maxAttempts())
        : judge(tx, commands.live(found, serviceSid, sid == null ? to : sid), code,
          VerificationRequest.Transaction.of(input))))
      .compose(checked -> checked.error() == null ? Future.succeededFuture(checked.verification())
        : Future.failedFuture(checked.error()));
  }

  /**
   * Out of checks and within its life: 60202 again, not 20404. The HTTP client under twilio-java (Apache HttpClient 5)
   * repeats a POST answered 429 once, so the 429 of the 5th miss is only seen if its repetition gets the same.
   */
  private boolean exhausted(Optional<Verification> found) {
    return found.filter(v -> MAX_ATTEMPTS.equals(v.status()) && v.expiresAt().isAfter(clock.instant())).isPresent();
  }

  private static TwilioError maxAttempts() {
    return new TwilioError(60202, 429, "Max check attempts reached");
  }

  private Future<Optional<Verification>> locked(SqlConnection tx, TwilioCredential account, String serviceSid, String sid,
                                                String to) {
    return sid != null ? verifications.find(tx, account.orgId(), serviceSid, sid, true)
      .map(found -> found.filter(v -> to == null || v.to().equals(to)))
      : verifications.latestTo(tx, account.orgId(), serviceSid, to);
  }

  /**
   * A PSD2 verification's code is good only for its transaction: the check names the same Amount and Payee (without
   * them, 60206 and nothing changes; with others, a miss like a wrong code).
   */
  private Future<Checked> judge(SqlConnection tx, Verification v, String code, VerificationRequest.Transaction asked) {
    if (v.transaction().complete() && !asked.complete()) {
      return Future.failedFuture(new TwilioError(60206, 400, "'Amount' & 'Payee' params are required"));
    }
    boolean sameTransaction = !v.transaction().complete() || v.transaction().equals(asked);
    if (sameTransaction
        && MessageDigest.isEqual(commands.code(v).getBytes(StandardCharsets.UTF_8), code.trim().getBytes(StandardCharsets.UTF_8))) {
      return commands.saved(tx, v.with("approved", v.failedChecks(), clock.instant()), "verify.verification.approved",
        new JsonObject().put("by", "check")).map(done -> new Checked(done, null));
    }
    int misses = v.failedChecks() + 1;
    if (misses >= MAX_CHECKS) {
      return commands.saved(tx, v.with(MAX_ATTEMPTS, misses, clock.instant()),
        "verify.verification." + MAX_ATTEMPTS, new JsonObject())
        .map(done -> new Checked(done, maxAttempts()));
    }
    return commands.saved(tx, v.with(Verification.PENDING, misses, clock.instant()), "verify.verification.check_failed",
      new JsonObject().put("failedChecks", misses)).map(done -> new Checked(done, null));
  }
}
