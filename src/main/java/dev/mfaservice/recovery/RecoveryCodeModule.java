package dev.mfaservice.recovery;

import dev.mfaservice.crypto.CodeGenerator;
import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.org.SecondFactorType;
import java.util.List;

/** Recovery codes as the app plugs them in: generating and removing a set, the {@code recoveryCode} check, the list entry. */
public final class RecoveryCodeModule {
  private RecoveryCodeModule() {
  }

  public static SecondFactor create(FactorKit kit, RecoveryCodeSettings settings) {
    RecoveryCodeRepository codes = new RecoveryCodeRepository();
    RecoveryCodeCommands commands = new RecoveryCodeCommands(kit.transactions(), kit.access(), kit.changes(), codes,
      new RecoveryCodeFormat(new CodeGenerator(kit.random())), kit.hasher(), kit.notices(), settings);
    return new SecondFactor(SecondFactorType.SECOND_FACTOR_TYPE_RECOVERY_CODES, new RecoveryCodeRoutes(commands)::mount,
      List.of(new RecoveryCodeSessionCheck(codes, kit.hasher(), kit.changes(), kit.clock())), List.of(), codes::factorsOf);
  }
}
