package dev.mfaservice.otp;

import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.FactorSource;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.session.SessionChallenge;
import dev.mfaservice.session.SessionCheck;
import java.util.List;

/**
 * One-time codes by email or by SMS (a module per channel) as the app plugs them in: the channel's
 * authenticator calls, its session check and login-code challenge, its list entry.
 */
public record OtpModule(OtpChannel channel, OtpRoutes routes, OtpSessionCheck check, OtpSessionChallenge challenge,
                        OtpRepository authenticators) implements SecondFactor {

  public static OtpModule email(FactorKit kit) {
    return create(kit, OtpChannel.EMAIL);
  }

  public static OtpModule sms(FactorKit kit) {
    return create(kit, OtpChannel.SMS);
  }

  private static OtpModule create(FactorKit kit, OtpChannel channel) {
    OtpRepository authenticators = new OtpRepository();
    OtpCommands commands = new OtpCommands(kit.transactions(), kit.access(), kit.changes(), authenticators, kit.phones(),
      kit.codes(), kit.delivery(), kit.lockout(), kit.notices(), kit.ids(), kit.clock());
    return new OtpModule(channel, new OtpRoutes(commands, kit.links(), channel),
      new OtpSessionCheck(channel, authenticators, kit.codes()),
      new OtpSessionChallenge(channel, authenticators, kit.delivery(), kit.links()), authenticators);
  }

  @Override
  public SecondFactorType type() {
    return channel.type();
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
    return (client, userId) -> authenticators.factorsOf(client, userId, channel);
  }
}
