package dev.mfaservice.webauthn;

import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.org.SecondFactorType;
import java.util.List;

/** Security keys as the app plugs them in: the U2F calls, the {@code webAuthN} check and challenge, the list entries. */
public final class SecurityKeyModule {
  private SecurityKeyModule() {
  }

  public static SecondFactor create(FactorKit kit, WebAuthnSettings settings) {
    WebAuthnRepository keys = new WebAuthnRepository();
    WebAuthnChallenges challenges = new WebAuthnChallenges(keys, settings, kit.random(), kit.clock());
    WebAuthnCeremony ceremony = new WebAuthnCeremony(settings.origins());
    U2fCommands commands = new U2fCommands(kit.transactions(), kit.access(), kit.changes(), keys, challenges, ceremony,
      kit.notices(), kit.ids(), kit.clock());
    WebAuthnSignInStore signIns = new WebAuthnSignInStore(kit.changes());
    return new SecondFactor(SecondFactorType.SECOND_FACTOR_TYPE_U2F, new U2fRoutes(commands)::mount,
      List.of(new WebAuthnSessionCheck(signIns, challenges, ceremony, kit.changes(), kit.events(), kit.clock())),
      List.of(new WebAuthnSessionChallenge(signIns, challenges)), keys::factorsOf);
  }
}
