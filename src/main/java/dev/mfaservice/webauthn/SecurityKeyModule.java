package dev.mfaservice.webauthn;

import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.FactorSource;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.SessionChallenge;
import dev.mfaservice.session.SessionCheck;
import java.util.List;

/** Security keys as the app plugs them in: the U2F calls, the {@code webAuthN} check and challenge, the list entries. */
public record SecurityKeyModule(U2fRoutes routes, SessionCheck check, SessionChallenge challenge, WebAuthnRepository keys)
  implements SecondFactor {

  public static SecurityKeyModule create(FactorKit kit, WebAuthnSettings settings) {
    WebAuthnRepository keys = new WebAuthnRepository();
    WebAuthnChallenges challenges = new WebAuthnChallenges(keys, settings, kit.random(), kit.clock());
    WebAuthnCeremony ceremony = new WebAuthnCeremony(settings.origins());
    U2fCommands commands = new U2fCommands(kit.transactions(), kit.access(), kit.changes(), keys, challenges, ceremony,
      kit.notices(), kit.ids(), kit.clock());
    return new SecurityKeyModule(new U2fRoutes(commands),
      new WebAuthnSessionCheck(keys, challenges, ceremony, kit.changes(), kit.events(), kit.clock()),
      new WebAuthnSessionChallenge(keys, challenges), keys);
  }

  @Override
  public SecondFactorType type() {
    return SecondFactorType.SECOND_FACTOR_TYPE_U2F;
  }

  @Override
  public void mount(ApiRouter api) {
    routes.mount(api);
  }

  @Override
  public List<SessionCheck> checks() {
    return List.of(check);
  }

  @Override
  public List<SessionChallenge> challenges() {
    return List.of(challenge);
  }

  @Override
  public FactorSource source() {
    return keys::factorsOf;
  }
}
