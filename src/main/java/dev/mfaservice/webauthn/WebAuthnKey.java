package dev.mfaservice.webauthn;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user's security key as stored: pending (no credential yet) until its registration is verified, then the
 * credential id, its COSE public key, the signature counter, the AAGUID and transports the browser reported.
 */
public record WebAuthnKey(String id, String userId, String rpId, String name, byte[] credentialId, byte[] publicKey,
                          UUID aaguid, long signCount, List<String> transports, boolean verified, Instant createdAt) {
}
