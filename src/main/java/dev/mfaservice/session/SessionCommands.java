package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.org.SecondFactorPolicy;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Tail;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Session v2: a sign-in proves the user, then second factors, and can ask for challenges (login codes by SMS or
 * email, a WebAuthn assertion). Each factor is a {@link SessionCheck} / {@link SessionChallenge} registered in
 * {@link SessionFactors}; this class only orders the steps: lock the user, refuse a locked one, ask the org policy,
 * count the attempt, run the factor's check, write the session. Counts are committed even when the call fails (the
 * session itself stays unchanged then); at the org's limit the user is locked. The session token changes with every
 * change and is stored hashed.
 */
public final class SessionCommands {
  public static final String AGGREGATE = "session";

  private final Transactions transactions;
  private final EventStore events;
  private final SessionRepository sessions;
  private final SessionUserStep userStep;
  private final SessionFactors factors;
  private final SessionFactorSteps factorSteps;
  private final SessionAccess access;
  private final SessionFastPath fastPath;
  private final IdGenerator ids;
  private final Clock clock;

  public SessionCommands(Transactions transactions, EventStore events, SessionRepository sessions, UserAccess userAccess,
                         UserRepository users, Lockout lockout, SecondFactorPolicy policy, SessionFactors factors,
                         CodeHasher hasher, IdGenerator ids, SecureRandom random, Clock clock) {
    this.transactions = transactions;
    this.events = events;
    this.sessions = sessions;
    this.userStep = new SessionUserStep(userAccess, factors, clock);
    this.factors = factors;
    this.factorSteps = new SessionFactorSteps(users, lockout, policy, clock);
    this.access = new SessionAccess(hasher, random);
    this.fastPath = new SessionFastPath(transactions, userAccess, userStep, factors, events, access, clock);
    this.ids = ids;
    this.clock = clock;
  }

  /** The new state, the token (in clear, once), what the challenges gave back (login codes, WebAuthn options), the event. */
  public record Changed(Session session, String sessionToken, JsonObject challenges, Event event) {
  }

  public Future<Changed> create(Caller caller, SessionRequest request) {
    Instant now = clock.instant();
    String id = ids.next();
    Instant expires = request.lifetimeSeconds() == null ? null : now.plusSeconds(request.lifetimeSeconds());
    Session fresh = new Session(id, caller.userId(), null, null, null, null, null, null, 0, now, now, expires,
      request.userAgentIp());
    return run(caller, fresh, request, true);
  }

  public Future<Changed> update(Caller caller, String sessionId, SessionRequest request) {
    return sessions.find(transactions.pool(), sessionId, false)
      .compose(found -> {
        Session session = found.orElseThrow(SessionCommands::notFound);
        if (!access.mayChange(caller, session, request.sessionToken())) {
          return Future.failedFuture(ApiError.permissionDenied());
        }
        if (session.expired(clock.instant())) {
          return Future.failedFuture(ApiError.failedPrecondition("SESSION-expired", "The session has expired"));
        }
        return run(caller, session, request, false);
      });
  }

  /** GET and DELETE: the token, or being its creator or a manager of its user. */
  public Future<Session> readable(Caller caller, String sessionId, String token) {
    return sessions.find(transactions.pool(), sessionId, false).map(found -> {
      Session session = found.orElseThrow(SessionCommands::notFound);
      if (!access.mayRead(caller, session, token)) {
        throw ApiError.permissionDenied();
      }
      return session;
    });
  }

  public Future<Event> delete(Caller caller, String sessionId, String token) {
    return readable(caller, sessionId, token).compose(session -> transactions.run(tx -> sessions.delete(tx, session.id())
      .compose(v -> events.append(tx, new NewEvent(AGGREGATE, session.id(), "session.terminated", new JsonObject(),
        caller.userId(), SessionWrite.owner(session)), session.sequence()))));
  }

  /**
   * A request whose one step after the user is a check that can be decided without locks tries that first
   * ({@link SessionFastPath}); all others, and those it does not accept, run {@link #locked}.
   */
  private Future<Changed> run(Caller caller, Session start, SessionRequest request, boolean creating) {
    SessionCheck only = fastPath.eligible(start, request);
    return only == null ? locked(caller, start, request, creating)
      : fastPath.run(caller, start, request, only, creating).compose(done -> done.map(Future::succeededFuture)
        .orElseGet(() -> locked(caller, start, request, creating)));
  }

  /** The steps of a request, in order: the user, each second-factor check, each challenge, then the session written. */
  private Future<Changed> locked(Caller caller, Session start, SessionRequest request, boolean creating) {
    return transactions.runWithTail(tx -> {
      Future<Progress> steps = userStep.run(tx, caller, Progress.start(start), request);
      for (SessionCheck factor : factors.checks()) {
        JsonObject check = request.checks().getJsonObject(factor.name());
        if (check != null) {
          steps = steps.compose(p -> factorSteps.check(tx, caller, p, factor, check));
        }
      }
      for (SessionChallenge challenge : factors.challenges()) {
        JsonObject asked = request.challenges().getJsonObject(challenge.name());
        if (asked != null) {
          steps = steps.compose(p -> factorSteps.challenge(tx, caller, p, challenge, asked));
        }
      }
      return steps.map(p -> p.refusal() != null ? Tail.of(inFlight(p).map(v -> new Result(p, null, null)))
        : write(tx, caller, p, creating));
    }).compose(result -> {
      Progress p = result.progress();
      if (p.refusal() != null) {
        return Future.failedFuture(p.refusal());
      }
      p.afterCommit().forEach(Runnable::run);
      return Future.succeededFuture(new Changed(p.session(), result.token(), new JsonObject(new LinkedHashMap<>(
        p.challenges())), result.event()));
    });
  }

  private record Result(Progress progress, String token, Event event) {
  }

  /** The session's event and row (one statement), sent with the checks' writes still in flight; COMMIT right behind. */
  private Tail<Result> write(SqlConnection tx, Caller caller, Progress p, boolean creating) {
    SessionWrite w = SessionWrite.of(access, events, caller, p, creating);
    Future<Event> inserted = events.insert(tx, w.event(), SessionRepository.APPEND_AND_SAVE, SessionRepository.row(w.saved()));
    Progress sent = p.sending(List.of(inserted));
    return Tail.of(inFlight(sent).map(v -> new Result(sent.with(w.saved(), p.user()), w.token(), inserted.result())));
  }

  private static Future<Void> inFlight(Progress p) {
    return Future.all(p.inFlight()).mapEmpty();
  }

  static ApiError notFound() {
    return ApiError.notFound("SESSION-notFound", "Session could not be found");
  }
}
