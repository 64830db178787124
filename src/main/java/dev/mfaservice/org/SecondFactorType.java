package dev.mfaservice.org;

import dev.mfaservice.errors.ApiError;
import java.util.Arrays;

/** The second factor types of ZITADEL's login policy, with their protobuf numbers (0 = unspecified, never valid). */
public enum SecondFactorType {
  SECOND_FACTOR_TYPE_OTP(1),
  SECOND_FACTOR_TYPE_U2F(2),
  SECOND_FACTOR_TYPE_OTP_EMAIL(3),
  SECOND_FACTOR_TYPE_OTP_SMS(4),
  SECOND_FACTOR_TYPE_RECOVERY_CODES(5);

  private final int number;

  SecondFactorType(int number) {
    this.number = number;
  }

  public int number() {
    return number;
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
}
