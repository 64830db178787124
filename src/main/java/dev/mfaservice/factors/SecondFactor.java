package dev.mfaservice.factors;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.SessionChallenge;
import dev.mfaservice.session.SessionCheck;
import java.util.List;

/**
 * A second factor as the application plugs it in: its type, its calls, what a session may check and
 * challenge with it, and its entries in a user's factor lists. Each factor package has one module
 * (otp: one per channel); the app lists them once, in the order sign-ins run their checks.
 */
public interface SecondFactor {
  SecondFactorType type();

  /** Mounts the handlers of its calls. */
  void mount(ApiRouter api);

  /** What {@code checks.<field>} of a session runs: none, or its one check. */
  List<SessionCheck> checks();

  /** What {@code challenges.<field>} of a session issues: none, or its one challenge. */
  default List<SessionChallenge> challenges() {
    return List.of();
  }

  /** Its entries in a user's factor lists. */
  FactorSource source();
}
