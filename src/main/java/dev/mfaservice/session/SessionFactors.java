package dev.mfaservice.session;

import java.util.List;

/** The checks and challenges sessions know, in the order a request runs them; each factor registers here once. */
public record SessionFactors(List<SessionCheck> checks, List<SessionChallenge> challenges) {
  public SessionFactors {
    checks = List.copyOf(checks);
    challenges = List.copyOf(challenges);
  }
}
