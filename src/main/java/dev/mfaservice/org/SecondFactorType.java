package dev.mfaservice.org;

import dev.mfaservice.errors.ApiError;
import java.util.Arrays;

/**
 * A second factor's one identity, with every name it has on the wire: the login policy's enum value
 * and protobuf number, its field under a session's {@code checks}/{@code factors}/{@code challenges},
 * its {@code AUTHENTICATION_METHOD_TYPE_*} suffix, its AuthFactors enum value and AuthFactor oneof
 * field (null where ZITADEL's AuthFactor has none), and its notice label ({@code factor.<key>} in the
 * message templates), and its place in the factor lists. Nothing else spells these names.
 */
public enum SecondFactorType {
  SECOND_FACTOR_TYPE_OTP(1, "totp", "TOTP", "OTP", "otp", "totp", 0),
  SECOND_FACTOR_TYPE_U2F(2, "webAuthN", "U2F", "U2F", "u2f", "security_key", 1),
  SECOND_FACTOR_TYPE_OTP_EMAIL(3, "otpEmail", "OTP_EMAIL", "OTP_EMAIL", "otpEmail", "otp_email", 3),
  SECOND_FACTOR_TYPE_OTP_SMS(4, "otpSms", "OTP_SMS", "OTP_SMS", "otpSms", "otp_sms", 2),
  SECOND_FACTOR_TYPE_RECOVERY_CODES(5, "recoveryCode", "RECOVERY_CODE", null, null, "recovery_codes", 4);

  private final int number;
  private final String sessionField;
  private final String methodType;
  private final String authFactor;
  private final String authFactorField;
  private final String noticeKey;
  private final int listPosition;

  SecondFactorType(int number, String sessionField, String methodType, String authFactor, String authFactorField,
                   String noticeKey, int listPosition) {
    this.number = number;
    this.sessionField = sessionField;
    this.methodType = methodType;
    this.authFactor = authFactor;
    this.authFactorField = authFactorField;
    this.noticeKey = noticeKey;
    this.listPosition = listPosition;
  }

  public int number() {
    return number;
  }

  /** Its field under a session request's {@code checks} and {@code challenges}, and the answer's {@code factors}. */
  public String sessionField() {
    return sessionField;
  }

  /** The suffix of its {@code AUTHENTICATION_METHOD_TYPE_*} value (ListAuthenticationMethodTypes). */
  public String methodType() {
    return methodType;
  }

  /** Its value in ZITADEL's AuthFactors enum (ListAuthenticationFactors' filter); null: none. */
  public String authFactor() {
    return authFactor;
  }

  /** Its field in ZITADEL's AuthFactor oneof (the factor lists); null: AuthFactor has none. */
  public String authFactorField() {
    return authFactorField;
  }

  /** The key of its label in the message templates ({@code factor.<key>}) and in a notice's payload. */
  public String noticeKey() {
    return noticeKey;
  }

  /** Its place in a user's factor lists (TOTP, security keys, SMS, email, recovery codes), as ZITADEL orders them. */
  public int listPosition() {
    return listPosition;
  }

  /** By name or number, as grpc-gateway reads enums; the contract has already refused anything else. */
  public static SecondFactorType parse(Object value, String field) {
    String text = String.valueOf(value);
    return Arrays.stream(values())
      .filter(t -> t.name().equals(text) || Integer.toString(t.number).equals(text))
      .findFirst()
      .orElseThrow(() -> ApiError.invalidArgument("API-validation", "invalid request: " + field
        + ": not a second factor type (enum)"));
  }

  /** The type whose AuthFactors enum value is {@code value}; null when none is. */
  public static SecondFactorType byAuthFactor(String value) {
    return Arrays.stream(values()).filter(t -> value.equals(t.authFactor)).findFirst().orElse(null);
  }
}
