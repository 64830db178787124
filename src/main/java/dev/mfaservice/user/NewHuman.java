package dev.mfaservice.user;

import dev.mfaservice.notify.VerificationChoice;

/**
 * What AddHumanUser asks for. {@code userId}, {@code orgId}, {@code username} and
 * {@code displayName} may be null: a generated id, the caller's org, the email address and
 * "given family" are used then.
 */
public record NewHuman(String userId, String orgId, String username, String givenName, String familyName,
                       String displayName, String preferredLanguage, User.Contact email, VerificationChoice emailChoice,
                       User.Contact phone, VerificationChoice phoneChoice) {

  /** The same request with the phone number in its normalized (E.164) form. */
  NewHuman withPhone(String normalized) {
    return new NewHuman(userId, orgId, username, givenName, familyName, displayName, preferredLanguage, email, emailChoice,
      new User.Contact(normalized, phone.verified()), phoneChoice);
  }
}
