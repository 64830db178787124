package dev.mfaservice.twilioverify;

import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.notify.Outbox;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.OrgRepository;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.Transactions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The Twilio Verify v2 capability (issue 28): the org credentials and the Twilio contract itself on our contract,
 * and Twilio's own wire for {@code /v2/Services…} on a router of its own ({@link VerifyApi}).
 */
public final class TwilioVerify {
  public static final String CONTRACT = "openapi/twilio-verify-v2.yaml";
  private final CredentialRoutes credentialRoutes;
  private final VerifyAccounts accounts;
  private final Map<String, VerifyCall.Handler> handlers = new HashMap<>();
  private final VerifySettings settings;
  private final Buffer contract;
  private final JsonObject parsed;

  /** @param contract the Twilio contract's text, {@code parsed} the same parsed */
  public TwilioVerify(Transactions transactions, EventStore events, OrgRepository orgs, CodeHasher hasher,
                      SecureRandom random, VerifySettings settings, Buffer contract, JsonObject parsed, Outbox outbox,
                      dev.mfaservice.notify.SendLimits limits, Keyring keyring, Clock clock,
                      dev.mfaservice.user.PhoneNumbers phones) {
    Sids sids = new Sids(random);
    CredentialRepository credentials = new CredentialRepository();
    this.accounts = new VerifyAccounts(transactions.pool(), credentials, hasher, clock);
    this.credentialRoutes = new CredentialRoutes(new CredentialCommands(transactions, events, orgs, credentials, hasher, sids,
      accounts::forget));
    VerifyServiceRepository services = new VerifyServiceRepository();
    this.handlers.putAll(new VerifyServiceRoutes(new VerifyServiceCommands(transactions, events, services, sids)).handlers());
    VerificationRepository verifications = new VerificationRepository();
    VerificationCommands commands = new VerificationCommands(transactions, events, services, verifications, outbox,
      limits, keyring, sids, clock, new RateLimitCounter(hasher, clock));
    this.handlers.putAll(new VerificationRoutes(commands,
      new VerificationChecks(transactions, verifications, commands, clock), phones).handlers());
    this.handlers.putAll(EntityRoutes.of(transactions, events, services, sids, random, keyring, clock).handlers());
    RateLimitRepository rateLimits = new RateLimitRepository();
    RateLimitCommands limitCommands = new RateLimitCommands(transactions, events, services, rateLimits, sids);
    this.handlers.putAll(new RateLimitRoutes(limitCommands,
      new RateLimitBucketCommands(transactions, events, limitCommands, rateLimits, sids)).handlers());
    this.settings = settings;
    this.contract = contract;
    this.parsed = parsed;
  }

  /** The credential operations of our contract, and the Twilio contract served beside ours. */
  public void mount(ApiRouter api) {
    credentialRoutes.mount(api);
    api.onHttp("Ops_TwilioVerifyOpenApi", ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(contract));
  }

  /** Twilio's wire, for one API verticle. */
  public VerifyApi api(Vertx vertx, int bodyLimit) {
    return VerifyApi.create(vertx, parsed, handlers, accounts, settings.publicUrl(), bodyLimit);
  }
}
