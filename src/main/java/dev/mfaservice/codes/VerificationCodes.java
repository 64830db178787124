package dev.mfaservice.codes;

import dev.mfaservice.app.Config;
import dev.mfaservice.crypto.CodeGenerator;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.ids.IdGenerator;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

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
  private final Config.Codes config;
  private final Clock clock;

  public VerificationCodes(VerificationCodeRepository codes, CodeGenerator generator, CodeHasher hasher, IdGenerator ids,
                           Config.Codes config, Clock clock) {
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
    Config.CodeKind kind = target.purpose().login() ? config.login() : config.verify();
    Instant now = clock.instant();
    String code = generator.next(kind);
    Instant expires = now.plusSeconds(kind.expirySeconds());
    return codes.voidPending(tx, target, now)
      .compose(v -> codes.insert(tx, ids.next(), target, hasher.hash(target.binding(), code), expires, now))
      .map(v -> new IssuedCode(code, expires));
  }

  public Future<CodeCheck> check(SqlClient tx, CodeTarget target, String submitted) {
    String normalized = normalize(submitted, target);
    return codes.pending(tx, target).compose(found -> {
      if (found.isEmpty() || !found.get().address().equalsIgnoreCase(target.address())) {
        return Future.succeededFuture(CodeCheck.NONE_PENDING);
      }
      VerificationCodeRepository.Pending pending = found.get();
      if (!pending.expiresAt().isAfter(clock.instant())) {
        return Future.succeededFuture(CodeCheck.EXPIRED);
      }
      return codes.countAttempt(tx, pending.id(), config.maxAttempts()).compose(live -> {
        if (!live || !hasher.matches(pending.hash(), target.binding(), normalized)) {
          return Future.succeededFuture(CodeCheck.WRONG);
        }
        return codes.accept(tx, pending.id(), clock.instant()).map(CodeCheck.ACCEPTED);
      });
    });
  }

  /** Trimmed; upper case when the alphabet has no lower case letters, so "ab12cd" matches "AB12CD". */
  private String normalize(String submitted, CodeTarget target) {
    Config.CodeKind kind = target.purpose().login() ? config.login() : config.verify();
    String trimmed = submitted.trim();
    return kind.alphabet().equals(kind.alphabet().toUpperCase(Locale.ROOT)) ? trimmed.toUpperCase(Locale.ROOT) : trimmed;
  }
}
