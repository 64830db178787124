package dev.mfaservice.totp;

import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.FactorSource;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.SessionCheck;
import java.util.List;

/** TOTP authenticator apps as the app plugs them in: RegisterTOTP and its kin, the {@code totp} session check, the list entry. */
public record TotpModule(TotpRoutes routes, TotpSessionCheck check, TotpRepository factors) implements SecondFactor {

  public static TotpModule create(FactorKit kit, TotpSettings settings) {
    TotpRepository factors = new TotpRepository();
    TotpCommands commands = new TotpCommands(kit.transactions(), kit.access(), kit.changes(), factors,
      new TotpCodes(kit.random()), kit.keyring(), kit.lockout(), kit.notices(), settings, kit.clock());
    return new TotpModule(new TotpRoutes(commands), new TotpSessionCheck(factors, commands, kit.clock()), factors);
  }

  @Override
  public SecondFactorType type() {
    return SecondFactorType.SECOND_FACTOR_TYPE_OTP;
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
  public FactorSource source() {
    return factors::factorsOf;
  }
}
