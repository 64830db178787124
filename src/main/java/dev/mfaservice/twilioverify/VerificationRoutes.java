package dev.mfaservice.twilioverify;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Verifications and VerificationCheck operations of the Twilio contract. Channels: {@code sms} and {@code email};
 * Twilio's other channels (call, whatsapp, sna) → 60223 (the channel is disabled for this service), anything else → 60200.
 */
final class VerificationRoutes {
  private static final Set<String> SERVED = Set.of("sms", "email");
  private static final Set<String> TWILIO = Set.of("call", "whatsapp", "sna", "auto");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private final VerificationCommands commands;
  private final VerificationChecks checks;

  VerificationRoutes(VerificationCommands commands, VerificationChecks checks) {
    this.commands = commands;
    this.checks = checks;
  }

  Map<String, VerifyCall.Handler> handlers() {
    return Map.of("CreateVerification", this::create, "FetchVerification", this::fetch,
      "UpdateVerification", this::update, "CreateVerificationCheck", this::check);
  }

  private Future<VerifyCall.Reply> create(VerifyCall call) {
    String channel = call.input().getString("Channel");
    String to = call.input().getString("To").trim();
    if (TWILIO.contains(channel)) {
      return Future.failedFuture(new TwilioError(60223, 400, "Delivery channel disabled: " + channel.toUpperCase()));
    }
    if (!SERVED.contains(channel)) {
      return Future.failedFuture(TwilioError.invalidParameter("Channel"));
    }
    if (!(channel.equals("sms") ? E164 : EMAIL).matcher(to).matches()) {
      return Future.failedFuture(TwilioError.invalidParameter("To"));
    }
    return commands.start(call.account(), call.serviceSid(), to, channel)
      .map(v -> new VerifyCall.Reply(201, VerificationJson.of(v, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> fetch(VerifyCall call) {
    return commands.fetch(call.account(), call.serviceSid(), call.sid())
      .map(v -> new VerifyCall.Reply(200, VerificationJson.of(v, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> update(VerifyCall call) {
    return commands.update(call.account(), call.serviceSid(), call.sid(), call.input().getString("Status"))
      .map(v -> new VerifyCall.Reply(200, VerificationJson.of(v, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> check(VerifyCall call) {
    return checks.check(call.account(), call.serviceSid(), call.input())
      .map(v -> new VerifyCall.Reply(200, VerificationJson.check(v)));
  }
}
