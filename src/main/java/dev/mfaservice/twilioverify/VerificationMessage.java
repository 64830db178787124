package dev.mfaservice.twilioverify;

import dev.mfaservice.notify.NewMessage;
import io.vertx.core.json.JsonObject;

/**
 * The message of a verification's send: the code under the Service's friendly name (or the request's custom one), a PSD2 transaction's amount and
 * payee with it (dynamic linking), the do-not-share warning when the Service asks for it, in the request's language
 * (templates {@code twilio_verify}, {@code twilio_verify_psd2}).
 */
final class VerificationMessage {
  private VerificationMessage() {
  }

  static NewMessage of(Verification v, VerifyService service, VerificationRequest request, String code) {
    VerificationRequest.Transaction transaction = v.transaction();
    String name = request.customFriendlyName() != null ? request.customFriendlyName() : service.friendlyName();
    JsonObject payload = new JsonObject().put("code", code).put("service", name)
      .put("warning", service.doNotShareWarningEnabled());
    if (transaction.complete()) {
      payload.put("amount", transaction.amount()).put("payee", transaction.payee());
    }
    return new NewMessage(v.channel(), v.sid(), v.orgId(), v.to(),
      transaction.complete() ? "twilio_verify_psd2" : "twilio_verify", request.language(), payload, v.expiresAt());
  }
}
