package dev.mfaservice.bench;

import io.vertx.core.Future;

/**
 * A scenario's request: the n-th of a run, sent; its answer's body, or a failure ("out of users" ends the run; a
 * refusal is an error counted apart too).
 */
@FunctionalInterface
interface Request {
  String OUT_OF_USERS = "out of users";
  String REFUSED = "refused: ";

  Future<String> send(long n);

  /** The run has no user left for this request: it stops, and its report says so. */
  static Future<String> outOfUsers() {
    return Future.failedFuture(OUT_OF_USERS);
  }

  /** The service answered, but did not approve the code (e.g. Verify's 200 pending): an error, and a refusal. */
  static Future<String> refused(String why) {
    return Future.failedFuture(REFUSED + why);
  }
}
