package dev.mfaservice.factors;

import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.notify.LinkRules;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.PhoneNumbers;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserChanges;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What every factor module is built from besides its own settings: the shared collaborators of
 * enrolment and sign-in (transactions and events, the user's access step and changes, lockout,
 * notices, codes and their delivery, keys, ids, randomness and time), created once by the app.
 */
public record FactorKit(Transactions transactions, EventStore events, UserAccess access, UserChanges changes,
                        Lockout lockout, FactorNotices notices, VerificationCodes codes,
                        CodeDelivery delivery, LinkRules links, PhoneNumbers phones, Keyring keyring, CodeHasher hasher,
                        IdGenerator ids, SecureRandom random, Clock clock) {
}
