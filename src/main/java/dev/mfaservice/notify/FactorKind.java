package dev.mfaservice.notify;

/**
 * The kinds of second factor a notice can name; each has a label {@code factor.<key>} in every
 * language's templates. Security keys and recovery codes have their labels ready for their packages.
 */
public enum FactorKind {
  TOTP("totp"), OTP_EMAIL("otp_email"), OTP_SMS("otp_sms"), SECURITY_KEY("security_key"), RECOVERY_CODES("recovery_codes");

  private final String key;

  FactorKind(String key) {
    this.key = key;
  }

  /** The label's key in the templates and the value stored in a notice's payload. */
  public String key() {
    return key;
  }
}
