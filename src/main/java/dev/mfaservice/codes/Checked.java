package dev.mfaservice.codes;

import dev.mfaservice.store.Details;
import io.vertx.core.Future;

/** A code check inside a command and, when it passed, the details of the change it made; refused after commit. */
public record Checked(CodeCheck check, Details details) {
  public Future<Details> result() {
    return check == CodeCheck.ACCEPTED ? Future.succeededFuture(details) : Future.failedFuture(check.error());
  }
}
