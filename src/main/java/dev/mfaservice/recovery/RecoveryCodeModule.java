package dev.mfaservice.recovery;

import dev.mfaservice.crypto.CodeGenerator;
import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.FactorSource;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.SessionCheck;
import java.util.List;

/** Recovery codes as the app plugs them in: generating and removing a set, the {@code recoveryCode} check, the list entry. */
public record RecoveryCodeModule(RecoveryCodeRoutes routes, RecoveryCodeSessionCheck check, RecoveryCodeRepository codes)
  implements SecondFactor {

  public static RecoveryCodeModule create(FactorKit kit, RecoveryCodeSettings settings) {
    RecoveryCodeRepository codes = new RecoveryCodeRepository();
    RecoveryCodeCommands commands = new RecoveryCodeCommands(kit.transactions(), kit.access(), kit.changes(), codes,
      new RecoveryCodeFormat(new CodeGenerator(kit.random())), kit.hasher(), kit.notices(), settings);
    return new RecoveryCodeModule(new RecoveryCodeRoutes(commands),
      new RecoveryCodeSessionCheck(codes, kit.hasher(), kit.changes(), kit.clock()), codes);
  }

  @Override
  public SecondFactorType type() {
    return SecondFactorType.SECOND_FACTOR_TYPE_RECOVERY_CODES;
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
    return codes::factorsOf;
  }
}
