package dev.mfaservice.twilioverify;

import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.notify.NewMessage;
import dev.mfaservice.notify.Outbox;
import dev.mfaservice.notify.SendKeys;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifications (VE) of a Service: start one (a code of the Service's length, sealed, sent through the outbox), send its
 * code again within its 10 minutes (the same VE, the same code, at most 5 sends), fetch it, cancel or approve it. Each
 * step is an event ({@code verify.verification.*}) in the transaction of the row.
 */
final class VerificationCommands {
  static final String AGGREGATE = "verify.verification";
  static final long LIFETIME_SECONDS = 600;
  static final int MAX_SENDS = 5;
  private final Transactions transactions;
  private final EventStore events;
  private final VerifyServiceRepository services;
  private final VerificationRepository verifications;
  private final Outbox outbox;
  private final dev.mfaservice.notify.SendLimits limits;
  private final Keyring keyring;
  private final Sids sids;
  private final Clock clock;
  private final RateLimitCounter rateLimits;

  VerificationCommands(Transactions transactions, EventStore events, VerifyServiceRepository services,
                       VerificationRepository verifications, Outbox outbox, dev.mfaservice.notify.SendLimits limits,
                       Keyring keyring, Sids sids, Clock clock, RateLimitCounter rateLimits) {
    this.transactions = transactions;
    this.events = events;
    this.services = services;
    this.verifications = verifications;
    this.outbox = outbox;
    this.limits = limits;
    this.keyring = keyring;
    this.sids = sids;
    this.clock = clock;
    this.rateLimits = rateLimits;
  }

  /** A send to make: the verification and its outbox row, dispatched after commit. */
  private record Sent(Verification verification, String outboxId) {
  }

  /** {@code requestLimits}: the request's {@code RateLimits} (null: none), counted first: every create, re-sends too. */
  Future<Verification> start(TwilioCredential account, String serviceSid, VerificationRequest request,
                             String requestLimits) {
    return transactions.run(tx -> services.find(tx, account.orgId(), serviceSid)
      .map(found -> found.orElseThrow(() -> TwilioError.notFound("/v2/Services/" + serviceSid)))
      .compose(service -> rateLimits.admit(tx, serviceSid, requestLimits).map(service))
      .compose(service -> {
        JsonObject lookup = ServiceFeatures.admit(service, request);
        // a pending verification to the same To (and, for PSD2, the same transaction) is sent again
        return verifications.lockTo(tx, serviceSid, request.to())
          .compose(v -> verifications.pendingTo(tx, account.orgId(), serviceSid, request.to()))
          .compose(pending -> pending.filter(p -> p.live(clock.instant())
              && p.transaction().equals(request.transaction())).isPresent()
            ? again(tx, service, pending.get(), request) : fresh(tx, account, service, request, lookup));
      }))
      .map(sent -> {
        outbox.dispatch(sent.verification().channel(), sent.outboxId());
        return sent.verification();
      });
  }

  private Future<Sent> fresh(SqlConnection tx, TwilioCredential account, VerifyService service,
                             VerificationRequest request, JsonObject lookup) {
    Instant now = clock.instant();
    String sid = sids.next(Sids.VERIFICATION);
    String code = request.customCode() != null ? request.customCode().trim() : sids.digits(service.codeLength());
    byte[] sealed = keyring.seal(code.getBytes(StandardCharsets.UTF_8), sealingContext(sid));
    Verification v = new Verification(sid, account.orgId(), service.sid(), account.accountSid(), request.to(),
      request.channel(), Verification.PENDING, sealed, 0, new JsonArray(), now.plusSeconds(LIFETIME_SECONDS), 0, now, now,
      request.transaction(), lookup).sentAgain(attempt(request.channel(), now), now);
    return send(tx, service, v, request, code, "verify.verification.started");
  }

  private Future<Sent> again(SqlConnection tx, VerifyService service, Verification v, VerificationRequest request) {
    if (v.attempts().size() >= MAX_SENDS) {
      return Future.failedFuture(new TwilioError(60203, 429, "Max send attempts reached"));
    }
    Instant now = clock.instant();
    return send(tx, service, v.sentAgain(attempt(request.channel(), now), now), request, code(v),
      "verify.verification.resent");
  }

  private Future<Sent> send(SqlConnection tx, VerifyService service, Verification v, VerificationRequest request,
                            String code, String eventType) {
    JsonObject last = v.attempts().getJsonObject(v.attempts().size() - 1);
    NewMessage message = VerificationMessage.of(v, service, request, code);
    SendKeys keys = limits.keys(v.channel(), v.to(), v.sid(), v.orgId(), v.accountSid());
    // A verification's first send is counted against the instance's send limits (per number, prefix, country and
    // credential: SEC B1, B2, against SMS pumping); its re-sends are bounded by Twilio's five per verification.
    Future<Void> allowed = eventType.endsWith(".started") ? limits.check(tx, keys).recover(VerificationCommands::tooMany)
      : Future.succeededFuture();
    return allowed.compose(ok -> saved(tx, v, eventType, new JsonObject().put("attemptSid", last.getString("attempt_sid"))))
      .compose(done -> outbox.enqueue(tx, message, keys).map(id -> new Sent(done, id)));
  }

  /** A send limit's refusal as Twilio words it: 429 20429, with the wait in Retry-After. */
  private static Future<Void> tooMany(Throwable refusal) {
    return Future.failedFuture(refusal instanceof dev.mfaservice.errors.ApiError e && e.httpStatus() == 429
      ? TwilioError.tooManyRequests(e) : refusal);
  }

  Future<Verification> fetch(TwilioCredential account, String serviceSid, String sid) {
    return verifications.find(transactions.pool(), account.orgId(), serviceSid, sid, false)
      .map(found -> live(found, serviceSid, sid));
  }

  /** {@code status}: canceled or approved (the contract's enum). */
  Future<Verification> update(TwilioCredential account, String serviceSid, String sid, String status) {
    return transactions.run(tx -> verifications.find(tx, account.orgId(), serviceSid, sid, true)
      .compose(found -> {
        Verification v = live(found, serviceSid, sid);
        return saved(tx, v.with(status, v.failedChecks(), clock.instant()), "verify.verification." + status,
          new JsonObject());
      }));
  }

  /** The verification if it is still pending and within its life; else Twilio's 20404 (it is "soft deleted"). */
  Verification live(Optional<Verification> found, String serviceSid, String sid) {
    return found.filter(v -> v.live(clock.instant()))
      .orElseThrow(() -> TwilioError.notFound("/v2/Services/" + serviceSid + "/Verifications/" + sid));
  }

  /** The event of a step, then the row at the event's sequence. */
  Future<Verification> saved(SqlConnection tx, Verification v, String eventType, JsonObject payload) {
    payload.put("serviceSid", v.serviceSid()).put("to", Channels.mask(v.to())).put("channel", v.channel())
      .put("status", v.status());
    return events.append(tx, new NewEvent(AGGREGATE, v.sid(), eventType, payload, v.accountSid(), v.orgId()), v.sequence())
      .compose(event -> {
        Verification at = v.at(event.sequence());
        return verifications.save(tx, at).map(at);
      });
  }

  String code(Verification v) {
    return new String(keyring.open(v.codeSealed(), sealingContext(v.sid())), StandardCharsets.UTF_8);
  }

  private JsonObject attempt(String channel, Instant now) {
    return new JsonObject().put("time", ServiceJson.date(now)).put("channel", channel)
      .put("attempt_sid", sids.next(Sids.ATTEMPT));
  }

  private static String sealingContext(String sid) {
    return "verify_verifications:" + sid;
  }
}
