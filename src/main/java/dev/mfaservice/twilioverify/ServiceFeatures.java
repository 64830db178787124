package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonObject;

/**
 * A Service's switches applied to a Create Verification, as Twilio does: {@code psd2_enabled} needs Amount and Payee
 * (60206) and a Service without it takes neither (60204); {@code custom_code_enabled} allows {@code CustomCode} (else
 * 60204); {@code skip_sms_to_landlines} refuses SMS to a number its numbering plan says is a landline (60205);
 * {@code lookup_enabled} puts the number's line type in {@code lookup}; {@code do_not_share_warning_enabled} adds the
 * warning to the message ({@link VerificationMessage}).
 */
final class ServiceFeatures {
  private ServiceFeatures() {
  }

  /** The verification's lookup (null: lookups off), or the refusal. */
  static JsonObject admit(VerifyService service, VerificationRequest request) {
    if (service.psd2Enabled() && !request.transaction().complete()) {
      throw new TwilioError(60206, 400, "'Amount' & 'Payee' params are required");
    }
    if (!service.psd2Enabled() && request.transaction().given()) {
      throw notSupported("Amount and Payee need a Service with psd2_enabled");
    }
    if (request.customCode() != null && !service.customCodeEnabled()) {
      throw notSupported("CustomCode needs a Service with custom_code_enabled");
    }
    NumberLookup number = request.number();
    if (number != null && service.skipSmsToLandlines() && number.landline()) {
      throw new TwilioError(60205, 403, "SMS is not supported by landline phone number");
    }
    return service.lookupEnabled() && number != null ? number.carrier() : null;
  }

  private static TwilioError notSupported(String why) {
    return new TwilioError(60204, 403, "Service does not support this feature: " + why);
  }
}
