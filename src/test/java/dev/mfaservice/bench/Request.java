package dev.mfaservice.bench;

import io.vertx.core.Future;

/** A scenario's request: the n-th of a run, sent; its answer's body, or a failure ("out of users" ends the run). */
@FunctionalInterface
interface Request {
  String OUT_OF_USERS = "out of users";

  Future<String> send(long n);

  /** The run has no user left for this request: it stops, and its report says so. */
  static Future<String> outOfUsers() {
    return Future.failedFuture(OUT_OF_USERS);
  }
}
