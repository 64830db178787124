package dev.mfaservice.recovery;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.errors.Decision;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.store.Details;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserChanges;
import dev.mfaservice.user.UserForCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * Generating and removing a user's recovery codes. A set is shown once, in the answer that made it; only keyed
 * hashes are kept, bound to the user. A new set replaces the old one, used codes and all.
 */
public final class RecoveryCodeCommands {
  static final SecondFactorType TYPE = SecondFactorType.SECOND_FACTOR_TYPE_RECOVERY_CODES;
  private final Transactions transactions;
  private final UserAccess access;
  private final UserChanges changes;
  private final RecoveryCodeRepository codes;
  private final RecoveryCodeFormat format;
  private final CodeHasher hasher;
  private final FactorNotices notices;
  private final RecoveryCodeSettings config;

  public RecoveryCodeCommands(Transactions transactions, UserAccess access, UserChanges changes,
                              RecoveryCodeRepository codes, RecoveryCodeFormat format, CodeHasher hasher,
                              FactorNotices notices, RecoveryCodeSettings config) {
    this.transactions = transactions;
    this.access = access;
    this.changes = changes;
    this.codes = codes;
    this.format = format;
    this.hasher = hasher;
    this.notices = notices;
    this.config = config;
  }

  /** The new set, to be shown once. */
  public record Generated(List<String> recoveryCodes, Details details) {
  }

  /** What a code's hash is bound to (SEC S2): the purpose and the user; a code of another user never matches. */
  static List<String> binding(String userId) {
    return List.of("recovery-code", userId);
  }

  /** @param count 0 or absent = the configured default */
  public Future<Generated> generate(Caller caller, String userId, Integer count) {
    return Future.succeededFuture(RecoveryCodeSet.decideGenerate(count, config)).map(Decision::orElseThrow)
      .compose(size -> transactions.run(tx -> load(tx, caller, userId).compose(user -> replace(tx, caller, user, size))));
  }

  /** The user's set replaced by {@code size} new codes. */
  private Future<Generated> replace(SqlConnection tx, Caller caller, User user, int size) {
    List<String> plain = new ArrayList<>(size);
    List<CodeHasher.Hashed> hashes = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      String code = format.next();
      plain.add(code);
      hashes.add(hasher.hash(binding(user.id()), RecoveryCodeFormat.normalize(code)));
    }
    // The payload says how many, never which (codes and hashes stay out of events).
    Event added = changes.stamp(caller, user, "user.human.recoverycodes.added", new JsonObject().put("count", size));
    return codes.delete(tx, user.id())
      .compose(v -> Future.all(codes.insert(tx, user.id(), hashes, added.createdAt()), changes.write(tx, added)))
      .compose(v -> notices.added(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_RECOVERY_CODES))
      .map(v -> new Generated(List.copyOf(plain), added.createdAndChanged()));
  }

  /** Removing needs no policy: a user may always drop codes the org no longer allows. */
  public Future<Details> remove(Caller caller, String userId) {
    return transactions.run(tx -> access.visibleLocked(tx, caller, userId).compose(user -> codes.delete(tx, user.id())
      .map(deleted -> RecoveryCodeSet.decideRemove(deleted).orElseThrow())
      .compose(v -> changes.append(tx, caller, user, "user.human.recoverycodes.removed", new JsonObject()))
      .compose(event -> notices.removed(tx, caller, user, SecondFactorType.SECOND_FACTOR_TYPE_RECOVERY_CODES)
        .map(v -> event.changed()))));
  }

  /**
   * The user (or 404), its row locked before the codes' (UserAccess's lock order: changes of one user's set run one
   * after another, as sign-ins with the codes do), with the org's policy allowing recovery codes (else 9/400).
   */
  private Future<User> load(SqlConnection tx, Caller caller, String userId) {
    return access.enrolling(tx, caller, userId, TYPE).map(UserForCheck::user);
  }
}
