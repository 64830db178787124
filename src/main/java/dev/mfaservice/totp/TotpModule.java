package dev.mfaservice.totp;

import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.org.SecondFactorType;
import java.util.List;

/** TOTP authenticator apps as the app plugs them in: RegisterTOTP and its kin, the {@code totp} session check, the list entry. */
public final class TotpModule {
  private TotpModule() {
  }

  public static SecondFactor create(FactorKit kit, TotpSettings settings) {
    TotpRepository factors = new TotpRepository();
    TotpCommands commands = new TotpCommands(kit.transactions(), kit.access(), kit.changes(), factors,
      new TotpCodes(kit.random()), kit.keyring(), kit.lockout(), kit.notices(), settings, kit.clock());
    return new SecondFactor(SecondFactorType.SECOND_FACTOR_TYPE_OTP, new TotpRoutes(commands)::mount,
      List.of(new TotpSessionCheck(factors, commands, kit.clock())), List.of(), factors::factorsOf);
  }
}
