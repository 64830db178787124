package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.codes.CodeCheck;
import dev.mfaservice.codes.CodeTarget;
import dev.mfaservice.codes.Purpose;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.org.SecondFactorPolicy;
import dev.mfaservice.org.SecondFactorType;
import dev.mfaservice.otp.OtpChannel;
import dev.mfaservice.otp.OtpRepository;
import dev.mfaservice.session.Session.Factor;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.totp.TotpCommands;
import dev.mfaservice.totp.TotpRepository;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.User;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * Session v2: a sign-in proves the user, then second factors by their codes, and can ask for
 * login codes by SMS or email. Every check is counted before it is compared and the count is
 * committed even when the call fails (the session itself stays unchanged then); at the org's
 * limit the user is locked. The session token changes with every change and is stored hashed.
 */
public final class SessionCommands {
  public static final String AGGREGATE = "session";
  private static final List<String> TOKEN_BINDING_PREFIX = List.of("session-token");

  private final Transactions transactions;
  private final EventStore events;
  private final SessionRepository sessions;
  private final UserAccess access;
  private final UserRepository users;
  private final Lockout lockout;
  private final SecondFactorPolicy policy;
  private final TotpRepository totp;
  private final TotpCommands totpCommands;
  private final OtpRepository otp;
  private final VerificationCodes codes;
  private final CodeDelivery delivery;
  private final CodeHasher hasher;
  private final IdGenerator ids;
  private final SecureRandom random;
  private final Clock clock;

  public SessionCommands(Transactions transactions, EventStore events, SessionRepository sessions, UserAccess access,
                         UserRepository users, Lockout lockout, SecondFactorPolicy policy, TotpRepository totp,
                         TotpCommands totpCommands, OtpRepository otp, VerificationCodes codes, CodeDelivery delivery,
                         CodeHasher hasher, IdGenerator ids, SecureRandom random, Clock clock) {
    this.transactions = transactions;
    this.events = events;
    this.sessions = sessions;
    this.access = access;
    this.users = users;
    this.lockout = lockout;
    this.policy = policy;
    this.totp = totp;
    this.totpCommands = totpCommands;
    this.otp = otp;
    this.codes = codes;
    this.delivery = delivery;
    this.hasher = hasher;
    this.ids = ids;
    this.random = random;
    this.clock = clock;
  }

  /** The new state, the token (in clear, once), the returned login codes, the event. */
  public record Changed(Session session, String sessionToken, String otpSmsCode, String otpEmailCode, Event event) {
  }

  /** Work inside the transaction: the session so far, what was done, and a refusal that must still commit its counts. */
  private record Progress(Session session, User user, List<String> done, List<CodeDelivery.Delivery> deliveries,
                          String smsCode, String emailCode, ApiError refusal) {
    Progress refused(ApiError error) {
      return new Progress(session, user, done, deliveries, smsCode, emailCode, error);
    }
  }

  public Future<Changed> create(Caller caller, SessionRequest request) {
    Instant now = clock.instant();
    String id = ids.next();
    Instant expires = request.lifetimeSeconds() == null ? null : now.plusSeconds(request.lifetimeSeconds());
    Session fresh = new Session(id, caller.userId(), null, null, null, null, null, null, null, null, 0, now, now, expires,
      request.userAgentIp());
    return run(caller, fresh, request, true);
  }

  public Future<Changed> update(Caller caller, String sessionId, SessionRequest request) {
    return sessions.find(transactions.pool(), sessionId, false)
      .compose(found -> {
        Session session = found.orElseThrow(SessionCommands::notFound);
        boolean allowed = caller.userId().equals(session.creator())
          || (session.orgId() != null && caller.mayManageUsersOf(session.orgId()));
        if (!allowed || (request.sessionToken() != null && !tokenMatches(session, request.sessionToken()))) {
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
      boolean allowed = caller.userId().equals(session.creator())
        || (session.orgId() != null && caller.mayManageUsersOf(session.orgId()))
        || (token != null && tokenMatches(session, token));
      if (!allowed) {
        throw ApiError.permissionDenied();
      }
      return session;
    });
  }

  public Future<Event> delete(Caller caller, String sessionId, String token) {
    return readable(caller, sessionId, token).compose(session -> transactions.run(tx -> sessions.delete(tx, session.id())
      .compose(v -> events.append(tx, new NewEvent(AGGREGATE, session.id(), "session.terminated", new JsonObject(),
        caller.userId(), owner(session)), session.sequence()))));
  }

  private Future<Changed> run(Caller caller, Session start, SessionRequest request, boolean creating) {
    return transactions.run(tx -> {
      Progress begin = new Progress(start, null, new ArrayList<>(), new ArrayList<>(), null, null, null);
      return checkUser(tx, caller, begin, request)
        .compose(p -> check(tx, caller, p, Factor.TOTP, request.totpCode()))
        .compose(p -> check(tx, caller, p, Factor.OTP_SMS, request.otpSmsCode()))
        .compose(p -> check(tx, caller, p, Factor.OTP_EMAIL, request.otpEmailCode()))
        .compose(p -> challenge(tx, sender(caller, p), p, OtpChannel.SMS, request.otpSmsChallenge()))
        .compose(p -> challenge(tx, sender(caller, p), p, OtpChannel.EMAIL, request.otpEmailChallenge()))
        .compose(p -> p.refusal() != null ? Future.succeededFuture(new Result(p, null, null)) : write(tx, caller, p, creating));
    }).compose(result -> {
      if (result.progress().refusal() != null) {
        return Future.failedFuture(result.progress().refusal());
      }
      result.progress().deliveries().forEach(delivery::dispatch);
      Progress p = result.progress();
      return Future.succeededFuture(new Changed(p.session(), result.token(), p.smsCode(), p.emailCode(), result.event()));
    });
  }

  private record Result(Progress progress, String token, Event event) {
  }

  private Future<Progress> checkUser(SqlConnection tx, Caller caller, Progress p, SessionRequest r) {
    if (r.userId() == null && r.loginName() == null) {
      return p.session().userId() == null ? Future.succeededFuture(p)
        : access.visible(tx, caller, p.session().userId()).map(user -> new Progress(p.session(), user, p.done(),
          p.deliveries(), null, null, null));
    }
    Future<User> user = r.userId() != null ? access.visible(tx, caller, r.userId())
      : access.visibleByLoginName(tx, caller, r.loginName());
    return user.map(u -> {
      if (p.session().userId() != null && !p.session().userId().equals(u.id())) {
        throw ApiError.failedPrecondition("SESSION-otherUser", "The session belongs to another user");
      }
      p.done().add("user");
      return new Progress(p.session().withUser(u.id(), u.loginName(), u.orgId(), clock.instant()), u, p.done(), p.deliveries(), null, null, null);
    });
  }

  private Future<Progress> check(SqlConnection tx, Caller caller, Progress p, Factor factor, String code) {
    if (code == null || p.refusal() != null) {
      return Future.succeededFuture(p);
    }
    if (p.user() == null) {
      return Future.failedFuture(ApiError.failedPrecondition("SESSION-noUser", "Check the user before a second factor"));
    }
    // Checks of one user run one after another (the user row is locked): counts and events stay exact.
    return users.findForUpdate(tx, p.user().id()).compose(fresh -> checkLocked(tx, caller,
      new Progress(p.session(), fresh.orElseThrow(UserAccess::userNotFound), p.done(), p.deliveries(), p.smsCode(),
        p.emailCode(), null), factor, code));
  }

  private Future<Progress> checkLocked(SqlConnection tx, Caller caller, Progress p, Factor factor, String code) {
    User user = p.user();
    if (Lockout.LOCKED_STATE.equals(user.state())) {
      return Future.succeededFuture(p.refused(Lockout.locked()));
    }
    SecondFactorType type = typeOf(factor);
    return policy.require(tx, user.orgId(), type)
      .compose(v -> lockout.check(tx, caller, user, type.name(), () -> compare(tx, user, factor, code)))
      .compose(refusal -> {
        if (refusal == null) {
          p.done().add(factor.name());
          return Future.succeededFuture(new Progress(p.session().withFactor(factor, clock.instant()), user, p.done(),
            p.deliveries(), p.smsCode(), p.emailCode(), null));
        }
        return Future.succeededFuture(p.refused(refusal));
      });
  }

  /** Null when the code is right; the refusal otherwise. */
  private Future<ApiError> compare(SqlConnection tx, User user, Factor factor, String code) {
    if (factor == Factor.TOTP) {
      return totp.findForUpdate(tx, user.id()).compose(found -> {
        if (found.isEmpty() || !found.get().verified()) {
          return Future.succeededFuture(ApiError.failedPrecondition("SESSION-noTotp", "The user has no verified TOTP"));
        }
        OptionalLong step = totpCommands.matchingStep(found.get(), code);
        if (step.isEmpty()) {
          return Future.succeededFuture(invalidTotp());
        }
        return totp.acceptStep(tx, user.id(), step.getAsLong(), clock.instant()).map(ok -> ok ? null : invalidTotp());
      });
    }
    OtpChannel channel = factor == Factor.OTP_SMS ? OtpChannel.SMS : OtpChannel.EMAIL;
    return otp.readyFor(tx, channel, user.id()).compose(found -> found.isEmpty()
      ? Future.succeededFuture(notEnrolled(channel))
      : codes.check(tx, new CodeTarget(user.id(), loginPurpose(channel), found.get().id(), found.get().address()), code)
        .map(check -> check == CodeCheck.ACCEPTED ? null : check.error()));
  }

  /**
   * The caller as the send limits count it: with the end user's IP the session was created with (userAgent.ip) when
   * the caller manages the user (a login app; anyone else could use a victim's address up), else as the request came.
   */
  private static Caller sender(Caller caller, Progress p) {
    return vouched(caller, p) ? caller.withEndUserIp(p.session().userAgentIp()) : caller;
  }

  private static boolean vouched(Caller caller, Progress p) {
    return p.session().userAgentIp() != null && p.user() != null && caller.mayManageUsersOf(p.user().orgId());
  }

  private Future<Progress> challenge(SqlConnection tx, Caller caller, Progress p, OtpChannel channel, VerificationChoice choice) {
    if (choice == null || p.refusal() != null) {
      return Future.succeededFuture(p);
    }
    if (p.user() == null) {
      return Future.failedFuture(ApiError.failedPrecondition("SESSION-noUser", "Check the user before a challenge"));
    }
    User user = p.user();
    return policy.require(tx, user.orgId(), channel.type())
      .compose(v -> otp.readyFor(tx, channel, user.id()))
      .compose(found -> found.isEmpty() ? Future.failedFuture(notEnrolled(channel))
        : delivery.deliver(tx, caller, user, new CodeTarget(user.id(), loginPurpose(channel), found.get().id(),
          found.get().address()), channel.channel(), channel == OtpChannel.SMS ? "login_sms" : "login_email", choice))
      .map(d -> {
        p.deliveries().add(d);
        p.done().add("challenge." + channel.channel());
        return channel == OtpChannel.SMS
          ? new Progress(p.session(), user, p.done(), p.deliveries(), d.returnedCode(), p.emailCode(), null)
          : new Progress(p.session(), user, p.done(), p.deliveries(), p.smsCode(), d.returnedCode(), null);
      });
  }

  private Future<Result> write(SqlConnection tx, Caller caller, Progress p, boolean creating) {
    String token = newToken();
    // userAgent.ip is kept only as vouched for by a creator that manages the user.
    Session base = creating && !vouched(caller, p) ? p.session().withUserAgentIp(null) : p.session();
    NewEvent change = new NewEvent(AGGREGATE, base.id(), creating ? "session.added" : "session.changed",
      new JsonObject().put("done", new JsonArray(p.done())), caller.userId(), owner(base));
    Event event = events.stamp(change, base.sequence());
    Session saved = base.changed(hasher.hash(binding(base.id()), token), event.sequence(), event.createdAt());
    return events.insert(tx, event).compose(e -> sessions.save(tx, saved).map(v -> new Result(
      new Progress(saved, p.user(), p.done(), p.deliveries(), p.smsCode(), p.emailCode(), null), token, e)));
  }

  private boolean tokenMatches(Session session, String token) {
    return hasher.matches(session.tokenHash(), binding(session.id()), token);
  }

  private String newToken() {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static List<String> binding(String sessionId) {
    List<String> binding = new ArrayList<>(TOKEN_BINDING_PREFIX);
    binding.add(sessionId);
    return binding;
  }

  private static String owner(Session session) {
    return session.orgId() == null ? "instance" : session.orgId();
  }

  private static SecondFactorType typeOf(Factor factor) {
    return switch (factor) {
      case TOTP -> SecondFactorType.SECOND_FACTOR_TYPE_OTP;
      case OTP_SMS -> SecondFactorType.SECOND_FACTOR_TYPE_OTP_SMS;
      case OTP_EMAIL -> SecondFactorType.SECOND_FACTOR_TYPE_OTP_EMAIL;
    };
  }

  private static Purpose loginPurpose(OtpChannel channel) {
    return channel == OtpChannel.SMS ? Purpose.LOGIN_SMS : Purpose.LOGIN_EMAIL;
  }

  private static ApiError notEnrolled(OtpChannel channel) {
    return ApiError.failedPrecondition("SESSION-notEnrolled", "The user has no ready OTP " + channel.channel());
  }

  private static ApiError invalidTotp() {
    return ApiError.invalidArgument("EVENT-8isk2", "Invalid code");
  }

  static ApiError notFound() {
    return ApiError.notFound("SESSION-notFound", "Session could not be found");
  }
}
