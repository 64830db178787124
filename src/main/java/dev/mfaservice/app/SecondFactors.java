package dev.mfaservice.app;

import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.otp.OtpModule;
import dev.mfaservice.recovery.RecoveryCodeModule;
import dev.mfaservice.totp.TotpModule;
import dev.mfaservice.webauthn.SecurityKeyModule;
import java.util.List;

/**
 * The second factors this service offers, each a module of its own package, listed once. The order
 * is the sign-in order: a session request naming several factors runs their checks (and then
 * their challenges) in this order. Adding a factor is one line here.
 */
final class SecondFactors {
  private SecondFactors() {
  }

  static List<SecondFactor> create(FactorKit kit, Config config) {
    return List.of(
      TotpModule.create(kit, config.totp()),
      OtpModule.sms(kit),
      OtpModule.email(kit),
      SecurityKeyModule.create(kit, config.webauthn()),
      RecoveryCodeModule.create(kit, config.recoveryCodes()));
  }
}
