package dev.mfaservice.session;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserForCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session request's work inside its transaction: the session so far, the user, what was done, work for after the
 * commit, what the challenges gave back, and a refusal that must still commit its counts. {@code forCheck}: the user
 * as read for the first second-factor check, when the user step read it so (row locked), used once. {@code ahead}:
 * the checks' read-aheads by check name; {@code inFlight}: writes sent and not yet answered (they go with the COMMIT).
 */
record Progress(Session session, User user, UserForCheck forCheck, List<String> done, List<Runnable> afterCommit,
                JsonObject challenges, ApiError refusal, Map<String, Future<?>> ahead, List<Future<?>> inFlight) {

  static Progress start(Session session) {
    return new Progress(session, null, null, new ArrayList<>(), new ArrayList<>(), new JsonObject(), null,
      new HashMap<>(), new ArrayList<>());
  }

  Progress with(Session s, User u) {
    return new Progress(s, u, null, done, afterCommit, challenges, refusal, ahead, inFlight);
  }

  Progress with(Session s, UserForCheck read) {
    return new Progress(s, read.user(), read, done, afterCommit, challenges, refusal, ahead, inFlight);
  }

  /** A challenge's key in {@code ahead} and {@code done} (a check and a challenge may share a name: otpEmail). */
  static String challengeKey(String name) {
    return "challenge." + name;
  }

  /** The user as the user step read it for a check of {@code type}, or null when it read it otherwise. */
  UserForCheck readFor(SecondFactorType type) {
    return forCheck != null && forCheck.factorType().equals(type.name()) ? forCheck : null;
  }

  Progress refused(ApiError error) {
    return new Progress(session, user, null, done, afterCommit, challenges, error, ahead, inFlight);
  }
}
