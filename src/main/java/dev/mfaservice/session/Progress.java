package dev.mfaservice.session;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserForCheck;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session request's work inside its transaction, as each step leaves it (a step answers a new one; none is changed):
 * the session so far, the user, what was done, work for after the commit, what the challenges gave back (by name, in
 * the order they ran), and a refusal that must still commit its counts. {@code forCheck}: the user as read for the
 * first second-factor check, when the user step read it so (row locked), used once. {@code ahead}: the checks'
 * read-aheads by check name; {@code inFlight}: writes sent and not yet answered (they go with the COMMIT).
 */
record Progress(Session session, User user, UserForCheck forCheck, List<String> done, List<Runnable> afterCommit,
                Map<String, Object> challenges, ApiError refusal, Map<String, Future<?>> ahead, List<Future<?>> inFlight) {

  Progress {
    done = List.copyOf(done);
    afterCommit = List.copyOf(afterCommit);
    challenges = Collections.unmodifiableMap(new LinkedHashMap<>(challenges));
    ahead = Map.copyOf(ahead);
    inFlight = List.copyOf(inFlight);
  }

  static Progress start(Session session) {
    return new Progress(session, null, null, List.of(), List.of(), Map.of(), null, Map.of(), List.of());
  }

  Progress with(Session s, User u) {
    return new Progress(s, u, null, done, afterCommit, challenges, refusal, ahead, inFlight);
  }

  Progress with(Session s, UserForCheck read) {
    return new Progress(s, read.user(), read, done, afterCommit, challenges, refusal, ahead, inFlight);
  }

  /** With what the request's checks and challenges sent right behind the user's read, by key. */
  Progress readingAhead(Map<String, Future<?>> read) {
    return new Progress(session, user, forCheck, done, afterCommit, challenges, refusal, read, inFlight);
  }

  /** With {@code step} done: "user", a check's name, a challenge's key. */
  Progress withDone(String step) {
    return new Progress(session, user, forCheck, plus(done, List.of(step)), afterCommit, challenges, refusal, ahead,
      inFlight);
  }

  /** With writes a step sent and did not wait for. */
  Progress sending(List<Future<?>> writes) {
    return new Progress(session, user, forCheck, done, afterCommit, challenges, refusal, ahead, plus(inFlight, writes));
  }

  /** With a challenge issued: done, its answer (if any) kept, its work for after the commit queued. */
  Progress issued(String name, SessionChallenge.Issued issued) {
    Map<String, Object> answers = new LinkedHashMap<>(challenges);
    if (issued.answer() != null) {
      answers.put(name, issued.answer());
    }
    return new Progress(session, user, forCheck, plus(done, List.of(challengeKey(name))),
      plus(afterCommit, List.of(issued.afterCommit())), answers, refusal, ahead, inFlight);
  }

  private static <T> List<T> plus(List<T> list, List<? extends T> more) {
    List<T> all = new ArrayList<>(list);
    all.addAll(more);
    return all;
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
