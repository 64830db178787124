package dev.mfaservice.twilioverify;

import dev.mfaservice.crypto.CodeHasher;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP Basic of the Verify API: the Account SID and auth token of a credential → the credential (its org). */
final class VerifyAccounts {
  private final Pool pool;
  private final CredentialRepository credentials;
  private final CodeHasher hasher;
  /** What an unknown SID's token is compared with (a hash no token matches in practice). */
  private final CodeHasher.Hashed unknown;

  VerifyAccounts(Pool pool, CredentialRepository credentials, CodeHasher hasher) {
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
    return credentials.find(pool, user[0]).compose(found -> {
      // an unknown SID costs the same hash as a known one: the answer's timing does not tell which SIDs exist
      boolean proved = hasher.matches(found.map(stored -> stored.token()).orElse(unknown), CredentialCommands.binding(user[0]),
        user[1]) && found.isPresent();
      return proved ? Future.succeededFuture(found.get().credential()) : Future.failedFuture(TwilioError.authenticate());
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
