package dev.mfaservice.codes;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.store.Details;
import io.vertx.core.Future;

/**
 * A code check inside a command and, when it passed, the details of the change it made; a
 * refusal is given only after the transaction committed (so counted misses stay counted).
 * {@code refusal} overrides the check's own error (e.g. the user got locked by this attempt).
 */
public record Checked(CodeCheck check, Details details, ApiError refusal) {
  public Checked(CodeCheck check, Details details) {
    this(check, details, null);
  }

  public Future<Details> result() {
    if (refusal != null) {
      return Future.failedFuture(refusal);
    }
    return check == CodeCheck.ACCEPTED ? Future.succeededFuture(details) : Future.failedFuture(check.error());
  }
}
