package dev.mfaservice.user;

/**
 * What a sign-in's check of one second factor needs, read in one statement with the user's row locked: the user,
 * its failed checks of that factor type with the org's limit, and whether the org's login policy allows the type.
 */
public record UserForCheck(User user, String factorType, FailedChecks.Count failedChecks, boolean factorAllowed) {
}
