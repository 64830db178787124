package dev.mfaservice.factors;

import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.SessionChallenge;
import dev.mfaservice.session.SessionCheck;
import java.util.List;
import java.util.function.Consumer;

/**
 * A second factor as the application plugs it in: its type, its calls ({@code routes} mounts their
 * handlers), what a session may check ({@code checks.<field>}: none or its one check) and challenge
 * with it, and its entries in a user's factor lists. Each factor package's module builds one (otp:
 * one per channel); the app lists them once, in the order sign-ins run their checks.
 */
public record SecondFactor(SecondFactorType type, Consumer<ApiRouter> routes, List<SessionCheck> checks,
                           List<SessionChallenge> challenges, FactorSource source) {
  public SecondFactor {
    checks = List.copyOf(checks);
    challenges = List.copyOf(challenges);
  }

  public void mount(ApiRouter api) {
    routes.accept(api);
  }
}
