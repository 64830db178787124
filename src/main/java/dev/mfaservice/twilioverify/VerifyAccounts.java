package dev.mfaservice.twilioverify;

import dev.mfaservice.crypto.CodeHasher;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP Basic of the Verify API: the Account SID and auth token of a credential → the credential (its org). A credential's
 * row, once read, is kept for {@link #KEEP_MILLIS} (the token still checked against its hash on every request): a
 * credential removed is refused at once by the replica that removed it, by the others within that time.
 */
final class VerifyAccounts {
  static final long KEEP_MILLIS = 5_000;
  private static final int MAX_KEPT = 10_000;
  private final Map<String, Kept> kept = new ConcurrentHashMap<>();
  /** Counts removals: a read begun before one is not kept (it may hold the removed row). */
  private final AtomicLong removals = new AtomicLong();
  private final Clock clock;
  private final Pool pool;
  private final CredentialRepository credentials;
  private final CodeHasher hasher;
  /** What an unknown SID's token is compared with (a hash no token matches in practice). */
  private final CodeHasher.Hashed unknown;

  private record Kept(CredentialRepository.Stored stored, long until) {
  }

  VerifyAccounts(Pool pool, CredentialRepository credentials, CodeHasher hasher, Clock clock) {
    this.clock = clock;
    this.pool = pool;
    this.credentials = credentials;
    this.hasher = hasher;
    this.unknown = hasher.hash(java.util.List.of("unknown"), java.util.UUID.randomUUID().toString());
  }

  /** The credential named and proved by {@code authorization}; else a failed future with 401/20003. */
  Future<TwilioCredential> authenticate(String authorization) {
    String[] user = basic(authorization);
    if (user == null || !Sids.isSid(Sids.ACCOUNT, user[0])) {
      return Future.failedFuture(TwilioError.authenticate());
    }
    Kept hit = kept.get(user[0]);
    long removalsBefore = removals.get();
    Future<Optional<CredentialRepository.Stored>> read = hit != null && hit.until() > clock.millis()
      ? Future.succeededFuture(Optional.of(hit.stored()))
      : credentials.find(pool, user[0]).onSuccess(found -> keep(found, removalsBefore));
    return read.compose(found -> {
      // an unknown SID costs the same hash as a known one: the answer's timing does not tell which SIDs exist
      boolean proved = hasher.matches(found.map(stored -> stored.token()).orElse(unknown), CredentialCommands.binding(user[0]),
        user[1]) && found.isPresent();
      return proved ? Future.succeededFuture(found.get().credential()) : Future.failedFuture(TwilioError.authenticate());
    });
  }

  /** Forgets a removed credential at once (this replica). */
  void forget(String accountSid) {
    removals.incrementAndGet();
    kept.remove(accountSid);
  }

  private void keep(Optional<CredentialRepository.Stored> found, long removalsBefore) {
    found.ifPresent(stored -> {
      if (kept.size() >= MAX_KEPT) {
        kept.clear();
      }
      String sid = stored.credential().accountSid();
      kept.put(sid, new Kept(stored, clock.millis() + KEEP_MILLIS));
      if (removals.get() != removalsBefore) {
        kept.remove(sid); // a removal came after this read began (checked after the put: no window between)
      }
    });
  }

  /** {user, password} of a Basic header, or null when there is none or it is malformed. */
  private static String[] basic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }
}
