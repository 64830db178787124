package dev.mfaservice.user;

import dev.mfaservice.notify.VerificationChoice;

/**
 * What AddHumanUser asks for. {@code userId}, {@code orgId}, {@code username} and
 * {@code displayName} may be null: a generated id, the caller's org, the email address and
 * "given family" are used then.
 */
public record NewHuman(String userId, String orgId, String username, String givenName, String familyName,
                       String displayName, String preferredLanguage, User.Contact email, VerificationChoice emailChoice,
                       User.Contact phone) {
}
