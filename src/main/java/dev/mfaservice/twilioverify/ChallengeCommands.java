package dev.mfaservice.twilioverify;

import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * TOTP Challenges (YC) of a verified Factor: create (the code checked at once if given), and the check by update with
 * {@code AuthPayload}: right → approved (the code's time step used up for the factor: a replay, here or in another of
 * its challenges, is a wrong code); wrong → 200 pending and one more miss; the 5th miss → 429/60308, as is every code
 * after it; past its expiration date → 403/60323 and {@code expired}. Under the Entity's lock, so of parallel checks
 * with the right code one approves. Each step an event ({@code verify.challenge.*}).
 */
final class ChallengeCommands {
  static final String AGGREGATE = "verify.challenge";
  static final int MAX_CHECKS = 5;
  private final Transactions transactions;
  private final EventStore events;
  private final FactorCommands factors;
  private final FactorRepository factorRows;
  private final ChallengeRepository challenges;
  private final FactorCodes codes;
  private final Sids sids;
  private final Clock clock;

  ChallengeCommands(Transactions transactions, EventStore events, FactorCommands factors, FactorRepository factorRows,
                    ChallengeRepository challenges, FactorCodes codes, Sids sids, Clock clock) {
    this.transactions = transactions;
    this.events = events;
    this.factors = factors;
    this.factorRows = factorRows;
    this.challenges = challenges;
    this.codes = codes;
    this.sids = sids;
    this.clock = clock;
  }

  /** A challenge with its Entity (for the answer's ids). */
  record Shown(VerifyEntity entity, VerifyChallenge challenge) {
  }

  Future<Shown> create(TwilioCredential account, String serviceSid, String identity, JsonObject in) {
    return transactions.run(tx -> factors.locked(tx, account, serviceSid, identity, in.getString("FactorSid"))
      .compose(found -> {
        VerifyFactor factor = found.factor();
        if (!factor.verified()) {
          throw new TwilioError(60318, 403, "Factor is not verified");
        }
        Instant now = clock.instant();
        VerifyChallenge challenge = new VerifyChallenge(sids.next(Sids.CHALLENGE), found.entity().sid(), factor.sid(),
          VerifyChallenge.PENDING, 0, ChallengeInput.details(in, now), FormJson.stringMap(in.getString("HiddenDetails"),
          "HiddenDetails"), null, ChallengeInput.expiration(in.getString("ExpirationDate"), now), null, 0, now, now);
        String code = in.getString("AuthPayload");
        return saved(tx, found.entity(), challenge, "verify.challenge.created",
          new JsonObject().put("expirationDate", ServiceJson.date(challenge.expiresAt())))
          .compose(created -> code == null ? Future.succeededFuture(Judged.of(new Shown(found.entity(), created)))
            : check(tx, found.entity(), factor, created, code));
      })).compose(Judged::answer);
  }

  Future<Shown> update(TwilioCredential account, String serviceSid, String identity, String sid, JsonObject in) {
    return transactions.run(tx -> factors.entities().locked(tx, account, serviceSid, identity)
      .compose(entity -> challenges.find(tx, entity.sid(), sid).compose(found -> {
        VerifyChallenge current = found.orElseThrow(() -> notFound(entity, sid));
        Instant now = clock.instant();
        JsonObject metadata = in.containsKey("Metadata") ? FormJson.stringMap(in.getString("Metadata"), "Metadata")
          : current.metadata();
        VerifyChallenge challenge = current.checked(current.status(), current.failedChecks(), metadata, now);
        if (VerifyChallenge.EXPIRED.equals(current.statusAt(now))) {
          Future<VerifyChallenge> expired = VerifyChallenge.EXPIRED.equals(current.status()) ? Future.succeededFuture(current)
            : saved(tx, entity, challenge.checked(VerifyChallenge.EXPIRED, current.failedChecks(), metadata, now),
              "verify.challenge.expired", new JsonObject());
          return expired.map(c -> Judged.<Shown>refused(new TwilioError(60323, 403, "Challenge expired")));
        }
        String code = in.getString("AuthPayload");
        if (code == null) {
          return saved(tx, entity, challenge, "verify.challenge.changed", new JsonObject())
            .map(c -> Judged.of(new Shown(entity, c)));
        }
        if (!VerifyChallenge.PENDING.equals(current.status())) {
          throw TwilioError.invalidRequest("AuthPayload (the Challenge is " + current.status() + ")");
        }
        if (current.failedChecks() >= MAX_CHECKS) {
          return Future.succeededFuture(Judged.<Shown>refused(maxAttempts()));
        }
        return factorRows.find(tx, entity.sid(), current.factorSid())
          .compose(factor -> check(tx, entity, factor.orElseThrow(), challenge, code));
      }))).compose(Judged::answer);
  }

  Future<Shown> fetch(TwilioCredential account, String serviceSid, String identity, String sid) {
    return factors.entities().fetch(account, serviceSid, identity).compose(entity -> challenges
      .find(transactions.pool(), entity.sid(), sid).map(found -> new Shown(entity, found.orElseThrow(() -> notFound(entity, sid)))));
  }

  /** A page of the Entity's challenges: {@code in}'s FactorSid, Status (as shown) and Order (asc by default). */
  Future<java.util.List<Shown>> page(TwilioCredential account, String serviceSid, String identity, JsonObject in,
                                     int limit, long offset) {
    return factors.entities().fetch(account, serviceSid, identity).compose(entity -> challenges.page(transactions.pool(),
        entity.sid(), clock.instant(), in.getString("FactorSid"), in.getString("Status"), "desc".equals(in.getString("Order")),
        limit, offset)
      .map(rows -> rows.stream().map(c -> new Shown(entity, c)).toList()));
  }

  /** A code against a pending challenge of {@code factor}, within its attempts. */
  private Future<Judged<Shown>> check(SqlConnection tx, VerifyEntity entity, VerifyFactor factor, VerifyChallenge challenge,
                                      String code) {
    Instant now = clock.instant();
    OptionalLong step = codes.step(factor, code, now);
    if (step.isPresent()) {
      return factorRows.acceptStep(tx, factor.sid(), step.getAsLong())
        .compose(moved -> saved(tx, entity, challenge.checked(VerifyChallenge.APPROVED, challenge.failedChecks(),
          challenge.metadata(), now), "verify.challenge.approved", new JsonObject()))
        .map(c -> Judged.of(new Shown(entity, c)));
    }
    int misses = challenge.failedChecks() + 1;
    boolean last = misses >= MAX_CHECKS;
    return saved(tx, entity, challenge.checked(VerifyChallenge.PENDING, misses, challenge.metadata(), now),
      last ? "verify.challenge.max_attempts_reached" : "verify.challenge.check_failed",
      new JsonObject().put("failedChecks", misses))
      .map(c -> last ? Judged.<Shown>refused(maxAttempts()) : Judged.of(new Shown(entity, c)));
  }

  /** The event of a step, then the row at the event's sequence. */
  private Future<VerifyChallenge> saved(SqlConnection tx, VerifyEntity entity, VerifyChallenge challenge, String type,
                                        JsonObject payload) {
    payload.put("serviceSid", entity.serviceSid()).put("entitySid", entity.sid()).put("identity", entity.identity())
      .put("factorSid", challenge.factorSid()).put("status", challenge.status());
    return events.append(tx, new NewEvent(AGGREGATE, challenge.sid(), type, payload, entity.accountSid(), entity.orgId()),
      challenge.sequence()).compose(event -> {
        VerifyChallenge at = challenge.at(event.sequence());
        return challenges.save(tx, at).map(at);
      });
  }

  private static TwilioError maxAttempts() {
    return new TwilioError(60308, 429, "Max challenge verification attempts reached");
  }

  static TwilioError notFound(VerifyEntity entity, String sid) {
    return TwilioError.notFound(entity.path() + "/Challenges/" + sid);
  }
}
