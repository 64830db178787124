package dev.mfaservice.twilioverify;

import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.totp.OtpAuthUri;
import dev.mfaservice.totp.TotpParameters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * TOTP Factors (YF) of an Entity: create (the Entity with it if new; the secret given or drawn, sealed), fetch, list,
 * update (settings, and the verification by {@code AuthPayload}: right → verified; wrong → 200 unverified and one more
 * miss; the 5th miss → 429/60310, as is every code after it), delete. Each step an event ({@code verify.factor.*}).
 */
final class FactorCommands {
  static final String AGGREGATE = "verify.factor";
  static final int MAX_CHECKS = 5;
  private final Transactions transactions;
  private final EventStore events;
  private final EntityCommands entities;
  private final FactorRepository factors;
  private final FactorCodes codes;
  private final Sids sids;
  private final Clock clock;

  FactorCommands(Transactions transactions, EventStore events, EntityCommands entities, FactorRepository factors,
                 FactorCodes codes, Sids sids, Clock clock) {
    this.transactions = transactions;
    this.events = events;
    this.entities = entities;
    this.factors = factors;
    this.codes = codes;
    this.sids = sids;
    this.clock = clock;
  }

  EntityCommands entities() {
    return entities;
  }

  /** A factor with its Entity (for the answer's ids); on create also its secret and otpauth URI (null otherwise). */
  record Shown(VerifyEntity entity, VerifyFactor factor, String secret, String uri) {
  }

  Future<Shown> create(TwilioCredential account, String serviceSid, JsonObject in) {
    if (!VerifyFactor.TYPE.equals(in.getString("FactorType"))) {
      return Future.failedFuture(new TwilioError(60369, 400, "Invalid FactorType: only totp is supported"));
    }
    String identity = VerifyEntity.identity(in.getString("Identity"));
    return transactions.run(tx -> entities.service(tx, account, serviceSid)
      .compose(service -> entities.lockedOrAdded(tx, account, service, identity).compose(entity -> {
        TotpParameters parameters = new TotpParameters(in.getString("Config.Alg", "sha1").toUpperCase(Locale.ROOT),
          in.getInteger("Config.CodeLength", service.totpCodeLength()), in.getInteger("Config.TimeStep", service.totpTimeStep()));
        String given = in.getString("Binding.Secret");
        String secret = given == null ? codes.newSecret(parameters) : given.replace("=", "").toUpperCase(Locale.ROOT);
        String sid = sids.next(Sids.FACTOR);
        Instant now = clock.instant();
        VerifyFactor factor = new VerifyFactor(sid, entity.sid(), in.getString("FriendlyName"), VerifyFactor.UNVERIFIED,
          codes.seal(secret, sid), parameters, in.getInteger("Config.Skew", service.totpSkew()), 0, 0,
          FormJson.stringMap(in.getString("Metadata"), "Metadata"), 0, now, now);
        String issuer = service.totpIssuer() != null ? service.totpIssuer() : service.friendlyName();
        return saved(tx, entity, factor, "verify.factor.added", settings(factor))
          .map(done -> new Shown(entity, done, secret, OtpAuthUri.of(issuer, done.friendlyName(), secret, parameters)));
      })));
  }

  Future<Shown> fetch(TwilioCredential account, String serviceSid, String identity, String sid) {
    return entities.fetch(account, serviceSid, identity).compose(entity -> factors.find(transactions.pool(), entity.sid(), sid)
      .map(found -> new Shown(entity, found.orElseThrow(() -> notFound(entity, sid)), null, null)));
  }

  Future<List<Shown>> page(TwilioCredential account, String serviceSid, String identity, int limit, long offset) {
    return entities.fetch(account, serviceSid, identity).compose(entity -> factors.page(transactions.pool(), entity.sid(),
      limit, offset).map(rows -> rows.stream().map(f -> new Shown(entity, f, null, null)).toList()));
  }

  Future<Shown> update(TwilioCredential account, String serviceSid, String identity, String sid, JsonObject in) {
    return transactions.run(tx -> locked(tx, account, serviceSid, identity, sid).compose(found -> {
      VerifyFactor factor = found.factor().with(in);
      String code = in.getString("AuthPayload");
      if (code == null || factor.verified()) {
        // a verified factor stays verified: its codes are checked by challenges
        return saved(tx, found.entity(), factor, "verify.factor.changed", settings(factor)).map(f -> Judged.of(shown(found, f)));
      }
      if (factor.failedChecks() >= MAX_CHECKS) {
        return Future.succeededFuture(Judged.<Shown>refused(maxAttempts()));
      }
      return verify(tx, found.entity(), factor, code);
    })).compose(Judged::answer);
  }

  private Future<Judged<Shown>> verify(SqlConnection tx, VerifyEntity entity, VerifyFactor factor, String code) {
    Instant now = clock.instant();
    OptionalLong step = codes.step(factor, code, now);
    if (step.isPresent()) {
      return factors.acceptStep(tx, factor.sid(), step.getAsLong()).compose(moved -> saved(tx, entity,
          factor.checked(VerifyFactor.VERIFIED, step.getAsLong(), factor.failedChecks(), now), "verify.factor.verified",
          new JsonObject()))
        .map(f -> Judged.of(new Shown(entity, f, null, null)));
    }
    int misses = factor.failedChecks() + 1;
    boolean last = misses >= MAX_CHECKS;
    return saved(tx, entity, factor.checked(VerifyFactor.UNVERIFIED, factor.lastUsedStep(), misses, now),
      last ? "verify.factor.max_attempts_reached" : "verify.factor.verification_failed",
      new JsonObject().put("failedChecks", misses))
      .map(f -> last ? Judged.<Shown>refused(maxAttempts()) : Judged.of(new Shown(entity, f, null, null)));
  }

  Future<Void> delete(TwilioCredential account, String serviceSid, String identity, String sid) {
    return transactions.run(tx -> locked(tx, account, serviceSid, identity, sid)
      .compose(found -> append(tx, found.entity(), found.factor(), "verify.factor.removed", new JsonObject()))
      .compose(event -> factors.delete(tx, sid)));
  }

  /** The factor of the Entity, the Entity's row locked; else 20404. */
  Future<Shown> locked(SqlConnection tx, TwilioCredential account, String serviceSid, String identity, String sid) {
    // Both go out at once (one round trip): the factor's read runs once the Entity's lock is held, so it sees the
    // factor as the last writer under that lock left it; a factor of another Entity is not found.
    Future<VerifyEntity> entity = entities.locked(tx, account, serviceSid, identity);
    Future<Optional<VerifyFactor>> factor = factors.find(tx, sid);
    return entity.compose(e -> factor.map(found -> FactorRepository.ofEntity(found, e.sid())
      .map(f -> new Shown(e, f, null, null)).orElseThrow(() -> notFound(e, sid))));
  }

  /** The event of a step, then the row at the event's sequence. */
  private Future<VerifyFactor> saved(SqlConnection tx, VerifyEntity entity, VerifyFactor factor, String type,
                                     JsonObject payload) {
    return append(tx, entity, factor, type, payload).compose(sequence -> {
      VerifyFactor at = factor.at(sequence, clock.instant());
      return factors.save(tx, at).map(at);
    });
  }

  private Future<Long> append(SqlConnection tx, VerifyEntity entity, VerifyFactor factor, String type, JsonObject payload) {
    payload.put("serviceSid", entity.serviceSid()).put("entitySid", entity.sid()).put("identity", entity.identity())
      .put("status", factor.status());
    return events.append(tx, new NewEvent(AGGREGATE, factor.sid(), type, payload, entity.accountSid(), entity.orgId()),
      factor.sequence()).map(event -> event.sequence());
  }

  private static Shown shown(Shown found, VerifyFactor factor) {
    return new Shown(found.entity(), factor, null, null);
  }

  private static JsonObject settings(VerifyFactor factor) {
    return new JsonObject().put("friendlyName", factor.friendlyName()).put("factorType", VerifyFactor.TYPE)
      .put("config", factor.config());
  }

  private static TwilioError maxAttempts() {
    return new TwilioError(60310, 429, "Max factor verification attempts reached");
  }

  private static TwilioError notFound(VerifyEntity entity, String sid) {
    return TwilioError.notFound(entity.path() + "/Factors/" + sid);
  }
}
