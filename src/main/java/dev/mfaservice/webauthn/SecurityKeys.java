package dev.mfaservice.webauthn;

import dev.mfaservice.factors.FactorSource;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.org.SecondFactorPolicy;
import dev.mfaservice.session.SessionChallenge;
import dev.mfaservice.session.SessionCheck;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserChanges;
import java.security.SecureRandom;
import java.time.Clock;

/** The security-key factor as the application registers it: its routes, its session check and challenge, its list. */
public record SecurityKeys(U2fRoutes routes, SessionCheck check, SessionChallenge challenge, FactorSource source) {

  public static SecurityKeys create(WebAuthnSettings config, Transactions transactions, UserAccess access,
                                    UserChanges changes, EventStore events, SecondFactorPolicy policy,
                                    FactorNotices notices, IdGenerator ids, SecureRandom random, Clock clock) {
    WebAuthnRepository keys = new WebAuthnRepository();
    WebAuthnChallenges challenges = new WebAuthnChallenges(keys, config, random, clock);
    WebAuthnCeremony ceremony = new WebAuthnCeremony(config.origins());
    U2fCommands commands = new U2fCommands(transactions, access, changes, keys, challenges, ceremony, policy, notices,
      ids, clock);
    return new SecurityKeys(new U2fRoutes(commands),
      new WebAuthnSessionCheck(keys, challenges, ceremony, changes, events, clock),
      new WebAuthnSessionChallenge(keys, challenges), keys::factorsOf);
  }
}
