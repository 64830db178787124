package dev.mfaservice.otp;

import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.SecondFactor;
import java.util.List;

/**
 * One-time codes by email or by SMS (a factor per channel) as the app plugs them in: the channel's
 * authenticator calls, its session check and login-code challenge, its list entry.
 */
public final class OtpModule {
  private OtpModule() {
  }

  public static SecondFactor email(FactorKit kit) {
    return create(kit, OtpChannel.EMAIL);
  }

  public static SecondFactor sms(FactorKit kit) {
    return create(kit, OtpChannel.SMS);
  }

  private static SecondFactor create(FactorKit kit, OtpChannel channel) {
    OtpRepository authenticators = new OtpRepository();
    OtpCommands commands = new OtpCommands(kit.transactions(), kit.access(), kit.changes(), authenticators, kit.phones(),
      kit.codes(), kit.delivery(), kit.lockout(), kit.notices(), kit.ids(), kit.clock());
    return new SecondFactor(channel.type(), new OtpRoutes(commands, kit.links(), channel)::mount,
      List.of(new OtpSessionCheck(channel, authenticators, kit.codes())),
      List.of(new OtpSessionChallenge(channel, authenticators, kit.delivery(), kit.links())),
      (client, userId) -> authenticators.factorsOf(client, userId, channel));
  }
}
