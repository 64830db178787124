package dev.mfaservice.twilioverify;

import dev.mfaservice.user.PhoneNumbers;
import io.vertx.core.Future;
import java.util.Map;

/** The Verifications and VerificationCheck operations of the Twilio contract (the request read by {@link VerificationRequest}). */
final class VerificationRoutes {
  private final VerificationCommands commands;
  private final VerificationChecks checks;
  private final PhoneNumbers phones;

  VerificationRoutes(VerificationCommands commands, VerificationChecks checks, PhoneNumbers phones) {
    this.commands = commands;
    this.checks = checks;
    this.phones = phones;
  }

  Map<String, VerifyCall.Handler> handlers() {
    return Map.of("CreateVerification", this::create, "FetchVerification", this::fetch,
      "UpdateVerification", this::update, "CreateVerificationCheck", this::check);
  }

  private Future<VerifyCall.Reply> create(VerifyCall call) {
    return commands.start(call.account(), call.serviceSid(), VerificationRequest.of(call.input(), phones),
      call.input().getString("RateLimits"))
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
