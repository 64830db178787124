package dev.mfaservice.otp;

/** An OTP email authenticator: its own address (v3alpha), or null = the user's verified contact email (v2). */
public record OtpEmailAuthenticator(String id, String userId, String address, boolean verified) {
}
