package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.user.User;

/**
 * What a factor's check or challenge works with: the caller, the caller as the send limits count it (with the end
 * user's IP when the caller vouches for it), the user (its row locked for checks), and the session so far.
 */
public record FactorContext(Caller caller, Caller sender, User user, Session session) {
}
