package dev.mfaservice.otp;

/** An OTP authenticator of one channel: its own address (v3alpha), or null = the user's verified contact (v2). */
public record OtpAuthenticator(String id, String userId, String channel, String address, boolean verified) {
}
