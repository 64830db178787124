package dev.mfaservice.codes;

import dev.mfaservice.crypto.CodeGenerator;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.ids.IdGenerator;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Making and checking one-time codes: a new code voids the target's older ones (SEC O3); only
 * its keyed hash is stored (S2); a check counts the miss before comparing (O7), refuses an
 * expired code whatever it is (O2), and uses a code once.
 */
public final class VerificationCodes {
  private final VerificationCodeRepository codes;
  private final CodeGenerator generator;
  private final CodeHasher hasher;
  private final IdGenerator ids;
  private final CodeSettings config;
  private final Clock clock;

  public VerificationCodes(VerificationCodeRepository codes, CodeGenerator generator, CodeHasher hasher, IdGenerator ids,
                           CodeSettings config, Clock clock) {
    this.codes = codes;
    this.generator = generator;
    this.hasher = hasher;
    this.ids = ids;
    this.config = config;
    this.clock = clock;
  }

  /** A fresh code, in clear for this once: it is sent or returned, never stored. */
  public record IssuedCode(String code, Instant expiresAt) {
  }

  public Future<IssuedCode> issue(SqlClient tx, CodeTarget target) {
    CodeSettings.CodeKind kind = target.purpose().login() ? config.login() : config.verify();
    Instant now = clock.instant();
    String code = generator.next(kind.format());
    Instant expires = now.plusSeconds(kind.expirySeconds());
    // both go out together: the insert does not wait for the earlier codes to be voided
    return Future.all(codes.voidPending(tx, target, now),
      codes.insert(tx, ids.next(), target, hasher.hash(target.binding(), code), expires, now))
      .map(v -> new IssuedCode(code, expires));
  }

  public Future<CodeCheck> check(SqlClient tx, CodeTarget target, String submitted) {
    return codes.pending(tx, target).compose(found -> {
      Judged judged = judge(tx, target, found, submitted);
      return judged.write().map(judged.result());
    });
  }

  /** The target's newest live code for a purpose whose codes all go to one target, locked; for {@link #judge}. */
  public Future<Optional<VerificationCodeRepository.Pending>> pendingOf(SqlClient tx, String userId, Purpose purpose) {
    return codes.pendingOfPurpose(tx, userId, purpose);
  }

  /** What a check found, and the write it made (the code used, or one more miss), sent and not yet answered. */
  public record Judged(CodeCheck result, Future<Void> write) {
  }

  /**
   * A submitted code against the live code read under its row's lock ({@code found}): right, it is marked used; wrong,
   * the miss is counted (SEC O7); past its misses, it is dead and nothing is compared.
   */
  public Judged judge(SqlClient tx, CodeTarget target, Optional<VerificationCodeRepository.Pending> found,
                      String submitted) {
    if (found.isEmpty() || !found.get().targetId().equals(target.targetId())
        || !found.get().address().equalsIgnoreCase(target.address())) {
      return new Judged(CodeCheck.NONE_PENDING, Future.succeededFuture());
    }
    VerificationCodeRepository.Pending pending = found.get();
    if (!pending.expiresAt().isAfter(clock.instant())) {
      return new Judged(CodeCheck.EXPIRED, Future.succeededFuture());
    }
    if (pending.failedAttempts() >= config.maxAttempts()) {
      return new Judged(CodeCheck.WRONG, Future.succeededFuture());
    }
    if (!hasher.matches(pending.hash(), target.binding(), normalize(submitted, target))) {
      return new Judged(CodeCheck.WRONG, codes.countMiss(tx, pending.id()));
    }
    return new Judged(CodeCheck.ACCEPTED, codes.accept(tx, pending.id(), clock.instant()));
  }

  /** Trimmed; upper case when the alphabet has no lower case letters, so "ab12cd" matches "AB12CD". */
  private String normalize(String submitted, CodeTarget target) {
    CodeSettings.CodeKind kind = target.purpose().login() ? config.login() : config.verify();
    String trimmed = submitted.trim();
    String alphabet = kind.format().alphabet();
    return alphabet.equals(alphabet.toUpperCase(Locale.ROOT)) ? trimmed.toUpperCase(Locale.ROOT) : trimmed;
  }
}
