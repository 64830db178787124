package dev.mfaservice.twilioverify;

import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Tail;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    return transactions.runWithTail(tx -> factors.locked(tx, account, serviceSid, identity, in.getString("FactorSid"))
      .map(found -> {
        VerifyFactor factor = found.factor();
        if (!factor.verified()) {
          throw new TwilioError(60318, 403, "Factor is not verified");
        }
        Instant now = clock.instant();
        VerifyChallenge challenge = new VerifyChallenge(sids.next(Sids.CHALLENGE), found.entity().sid(), factor.sid(),
          VerifyChallenge.PENDING, 0, ChallengeInput.details(in, now), FormJson.stringMap(in.getString("HiddenDetails"),
          "HiddenDetails"), null, ChallengeInput.expiration(in.getString("ExpirationDate"), now), null, 0, now, now);
        Step created = new Step(found.entity(), challenge, "verify.challenge.created",
          new JsonObject().put("expirationDate", ServiceJson.date(challenge.expiresAt())));
        String code = in.getString("AuthPayload");
        if (code == null) {
          return Tail.of(created.sent(tx, List.of()).map(Judged::of));
        }
        // the code judged at once: the created event goes out with the check's writes, the row once, as the check left it
        List<Future<?>> sent = List.of(events.insert(tx, created.event()));
        return check(tx, found.entity(), factor, created.challenge(), code, sent);
      })).compose(Judged::answer);
  }

  Future<Shown> update(TwilioCredential account, String serviceSid, String identity, String sid, JsonObject in) {
    return transactions.runWithTail(tx -> {
      // the Entity's lock, the challenge and its factor in one round trip: both reads run once the lock is held (the
      // factor is read even when no AuthPayload needs it: one statement more in the same round trip, not one more trip)
      Future<VerifyEntity> locked = factors.entities().locked(tx, account, serviceSid, identity);
      Future<Optional<VerifyChallenge>> challengeRead = challenges.find(tx, sid);
      Future<Optional<VerifyFactor>> factorRead = factorRows.ofChallenge(tx, sid);
      return locked.compose(entity -> challengeRead.compose(found -> {
        VerifyChallenge current = found.filter(c -> c.entitySid().equals(entity.sid()))
          .orElseThrow(() -> notFound(entity, sid));
        Instant now = clock.instant();
        JsonObject metadata = in.containsKey("Metadata") ? FormJson.stringMap(in.getString("Metadata"), "Metadata")
          : current.metadata();
        VerifyChallenge challenge = current.checked(current.status(), current.failedChecks(), metadata, now);
        if (VerifyChallenge.EXPIRED.equals(current.statusAt(now))) {
          Judged<Shown> refused = Judged.refused(new TwilioError(60323, 403, "Challenge expired"));
          return Future.succeededFuture(VerifyChallenge.EXPIRED.equals(current.status()) ? Tail.done(refused)
            : Tail.of(new Step(entity, challenge.checked(VerifyChallenge.EXPIRED, current.failedChecks(), metadata, now),
              "verify.challenge.expired", new JsonObject()).sent(tx, List.of()).map(shown -> refused)));
        }
        String code = in.getString("AuthPayload");
        if (code == null) {
          return Future.succeededFuture(Tail.of(new Step(entity, challenge, "verify.challenge.changed", new JsonObject())
            .sent(tx, List.of()).map(Judged::of)));
        }
        if (!VerifyChallenge.PENDING.equals(current.status())) {
          throw TwilioError.invalidRequest("AuthPayload (the Challenge is " + current.status() + ")");
        }
        if (current.failedChecks() >= MAX_CHECKS) {
          return Future.succeededFuture(Tail.done(Judged.<Shown>refused(maxAttempts())));
        }
        return factorRead.map(factor -> check(tx, entity, factor.orElseThrow(), challenge, code, List.of()));
      }));
    }).compose(Judged::answer);
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

  /**
   * A code against a pending challenge of {@code factor}, within its attempts: decided here (the factor was read under
   * the Entity's lock, so the replay guard's update cannot miss), its writes sent behind {@code before} and not waited for.
   */
  private Tail<Judged<Shown>> check(SqlConnection tx, VerifyEntity entity, VerifyFactor factor, VerifyChallenge challenge,
                                    String code, List<Future<?>> before) {
    Instant now = clock.instant();
    OptionalLong step = codes.step(factor, code, now);
    if (step.isPresent()) {
      List<Future<?>> sent = new ArrayList<>(before);
      sent.add(factorRows.acceptStep(tx, factor.sid(), step.getAsLong()).compose(moved -> moved ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("a factor's last step moved under its Entity's lock"))));
      VerifyChallenge approved = challenge.checked(VerifyChallenge.APPROVED, challenge.failedChecks(), challenge.metadata(),
        now);
      Step judged = new Step(entity, approved, "verify.challenge.approved", new JsonObject());
      return Tail.of(judged.sent(tx, sent).map(Judged::of));
    }
    int misses = challenge.failedChecks() + 1;
    boolean last = misses >= MAX_CHECKS;
    Step missed = new Step(entity, challenge.checked(VerifyChallenge.PENDING, misses, challenge.metadata(), now),
      last ? "verify.challenge.max_attempts_reached" : "verify.challenge.check_failed",
      new JsonObject().put("failedChecks", misses));
    return Tail.of(missed.sent(tx, before).map(shown -> last ? Judged.<Shown>refused(maxAttempts()) : Judged.of(shown)));
  }

  /**
   * A step of a challenge: its event (the next after {@code challenge.sequence()}) and the challenge's row at that
   * sequence, written in one statement.
   */
  private final class Step {
    private final VerifyEntity entity;
    private final Event event;
    private final VerifyChallenge challenge;

    Step(VerifyEntity entity, VerifyChallenge challenge, String type, JsonObject payload) {
      payload.put("serviceSid", entity.serviceSid()).put("entitySid", entity.sid()).put("identity", entity.identity())
        .put("factorSid", challenge.factorSid()).put("status", challenge.status());
      this.entity = entity;
      this.event = events.stamp(new NewEvent(AGGREGATE, challenge.sid(), type, payload, entity.accountSid(),
        entity.orgId()), challenge.sequence());
      this.challenge = challenge.at(event.sequence());
    }

    Event event() {
      return event;
    }

    VerifyChallenge challenge() {
      return challenge;
    }

    /** Sends the step's statement after {@code before} (in flight); completes with the challenge once all are answered. */
    Future<Shown> sent(SqlConnection tx, List<Future<?>> before) {
      List<Future<?>> all = new ArrayList<>(before);
      all.add(events.insert(tx, event, ChallengeRepository.APPEND_AND_SAVE, ChallengeRepository.row(challenge)));
      return Future.all(all).map(done -> new Shown(entity, challenge));
    }
  }

  private static TwilioError maxAttempts() {
    return new TwilioError(60308, 429, "Max challenge verification attempts reached");
  }

  static TwilioError notFound(VerifyEntity entity, String sid) {
    return TwilioError.notFound(entity.path() + "/Challenges/" + sid);
  }
}
