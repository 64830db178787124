package dev.mfaservice.app;

import dev.mfaservice.auth.TokenVerifier;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.factors.AuthMethodQueries;
import dev.mfaservice.factors.AuthMethodRoutes;
import dev.mfaservice.totp.TotpCodes;
import dev.mfaservice.totp.TotpCommands;
import dev.mfaservice.totp.TotpRepository;
import dev.mfaservice.totp.TotpRoutes;
import dev.mfaservice.user.UserChanges;
import dev.mfaservice.webauthn.SecurityKeys;
import dev.mfaservice.codes.VerificationCodeRepository;
import dev.mfaservice.codes.VerificationCodes;
import dev.mfaservice.crypto.CodeGenerator;
import dev.mfaservice.crypto.CodeHasher;
import dev.mfaservice.notify.CodeDelivery;
import dev.mfaservice.notify.FactorNotices;
import dev.mfaservice.notify.Outbox;
import dev.mfaservice.notify.OutboxRepository;
import dev.mfaservice.notify.SendCounts;
import dev.mfaservice.notify.SendLimits;
import dev.mfaservice.notify.SendRefusals;
import dev.mfaservice.otp.OtpCommands;
import dev.mfaservice.otp.OtpRepository;
import dev.mfaservice.otp.OtpRoutes;
import dev.mfaservice.otp.OtpChannel;
import dev.mfaservice.otp.OtpSessionChallenge;
import dev.mfaservice.otp.OtpSessionCheck;
import dev.mfaservice.recovery.RecoveryCodeCommands;
import dev.mfaservice.recovery.RecoveryCodeFormat;
import dev.mfaservice.recovery.RecoveryCodeRepository;
import dev.mfaservice.recovery.RecoveryCodeRoutes;
import dev.mfaservice.recovery.RecoveryCodeSessionCheck;
import dev.mfaservice.session.SessionCommands;
import dev.mfaservice.session.SessionFactors;
import dev.mfaservice.totp.TotpSessionCheck;
import dev.mfaservice.session.SessionRepository;
import dev.mfaservice.session.SessionRoutes;
import dev.mfaservice.user.Lockout;
import dev.mfaservice.user.PhoneNumbers;
import dev.mfaservice.user.ContactCommands;
import dev.mfaservice.user.ContactRoutes;
import io.vertx.core.eventbus.EventBus;
import java.security.SecureRandom;
import java.util.Set;
import dev.mfaservice.events.EventQueries;
import dev.mfaservice.events.EventRoutes;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.ops.ApiDocs;
import dev.mfaservice.notify.LinkRules;
import dev.mfaservice.ops.OpsRoutes;
import dev.mfaservice.org.LockoutPolicyCommands;
import dev.mfaservice.org.LoginPolicyCommands;
import dev.mfaservice.org.OrgCommands;
import dev.mfaservice.org.PolicyQueries;
import dev.mfaservice.org.PolicyRepository;
import dev.mfaservice.org.PolicyRoutes;
import dev.mfaservice.org.SecondFactorPolicy;
import dev.mfaservice.org.OrgRepository;
import dev.mfaservice.org.OrgRoutes;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.user.UserAccess;
import dev.mfaservice.user.UserCommands;
import dev.mfaservice.user.UserQueries;
import dev.mfaservice.user.UserRepository;
import dev.mfaservice.user.UserRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The object graph: every capability's repository, commands, queries and routes, created once
 * and shared by the API verticle instances (they hold no mutable state of their own).
 */
record Services(TokenVerifier tokens, ApiDocs docs, List<Consumer<ApiRouter>> routes) {

  /** @param channels the delivery channels this instance can send on */
  static Services create(Config config, Pool pool, TokenVerifier tokens, PrometheusMeterRegistry registry,
                         ApiDocs docs, Clock clock, SecureRandom random, IdGenerator ids, Keyring keyring,
                         EventBus bus, Set<String> channels) {
    LinkRules links = new LinkRules(config.auth().devIssuer(), config.linkHosts());
    Transactions transactions = new Transactions(pool);
    EventStore events = new EventStore(clock);
    OrgRepository orgs = new OrgRepository();
    UserRepository users = new UserRepository();
    UserAccess access = new UserAccess(users);
    UserChanges changes = new UserChanges(events);
    TotpRepository totp = new TotpRepository();

    OutboxRepository outboxRows = new OutboxRepository();
    VerificationCodes codes = new VerificationCodes(new VerificationCodeRepository(), new CodeGenerator(random),
      new CodeHasher(keyring), ids, config.codes(), clock);
    Outbox outbox = new Outbox(outboxRows, events, keyring, ids, bus, clock);
    SendLimits limits = new SendLimits(new SendCounts(), new SendRefusals(pool, events, ids, registry), config.limits(), clock);
    CodeDelivery delivery = new CodeDelivery(codes, limits, outbox, channels);
    FactorNotices notices = new FactorNotices(outbox, channels, config.notifications().factorChanges(), clock);

    OpsRoutes ops = new OpsRoutes(pool, registry, docs, ids::available);
    OrgRoutes orgRoutes = new OrgRoutes(new OrgCommands(transactions, events, orgs, ids));
    PhoneNumbers phones = new PhoneNumbers(config.sms().defaultRegion(), config.sms().allowedCountryCodes());
    PolicyRepository policies = new PolicyRepository();
    Lockout lockout = new Lockout(transactions, access, changes, notices);
    ContactCommands contacts = new ContactCommands(transactions, access, changes, users, phones, codes, delivery);
    UserRoutes userRoutes = new UserRoutes(new UserCommands(transactions, events, users, orgs, access, ids, delivery,
      contacts, phones), new UserQueries(pool, access), lockout, links);
    ContactRoutes contactRoutes = new ContactRoutes(contacts, links);
    EventRoutes eventRoutes = new EventRoutes(new EventQueries(pool));
    SecondFactorPolicy factorPolicy = new SecondFactorPolicy(policies);
    TotpCommands totpCommands = new TotpCommands(transactions, access, changes, totp, new TotpCodes(random), keyring,
      lockout, notices, config.totp(), clock);
    TotpRoutes totpRoutes = new TotpRoutes(totpCommands);
    PolicyRoutes policyRoutes = new PolicyRoutes(new LoginPolicyCommands(transactions, events, orgs, policies),
      new LockoutPolicyCommands(transactions, events, orgs, policies), new PolicyQueries(pool, policies));
    OtpRepository otp = new OtpRepository();
    OtpRoutes otpRoutes = new OtpRoutes(new OtpCommands(transactions, access, changes, otp, phones, codes, delivery,
      factorPolicy, lockout, notices, ids, clock), links);
    RecoveryCodeRepository recovery = new RecoveryCodeRepository();
    CodeHasher hasher = new CodeHasher(keyring);
    RecoveryCodeRoutes recoveryRoutes = new RecoveryCodeRoutes(new RecoveryCodeCommands(transactions, access, changes, recovery,
      new RecoveryCodeFormat(new CodeGenerator(random)), hasher, factorPolicy, notices, config.recoveryCodes()));
    SecurityKeys keys = SecurityKeys.create(config.webauthn(), transactions, access, changes, events, factorPolicy,
      notices, ids, random, clock);
    AuthMethodRoutes methodRoutes = new AuthMethodRoutes(new AuthMethodQueries(pool, access,
      List.of(totp::factorsOf, keys.source(), otp::factorsOf, recovery::factorsOf)));
    SessionFactors sessionFactors = new SessionFactors(
      List.of(new TotpSessionCheck(totp, totpCommands, clock), new OtpSessionCheck(OtpChannel.SMS, otp, codes),
        new OtpSessionCheck(OtpChannel.EMAIL, otp, codes), keys.check(),
        new RecoveryCodeSessionCheck(recovery, hasher, changes, clock)),
      List.of(new OtpSessionChallenge(OtpChannel.SMS, otp, delivery, links),
        new OtpSessionChallenge(OtpChannel.EMAIL, otp, delivery, links), keys.challenge()));
    SessionRoutes sessionRoutes = new SessionRoutes(new SessionCommands(transactions, events, new SessionRepository(), access,
      users, lockout, factorPolicy, sessionFactors, hasher, ids, random, clock));
    return new Services(tokens, docs, List.of(ops::mount, orgRoutes::mount, userRoutes::mount, eventRoutes::mount,
      totpRoutes::mount, keys.routes()::mount, methodRoutes::mount, policyRoutes::mount, contactRoutes::mount,
      otpRoutes::mount, sessionRoutes::mount, recoveryRoutes::mount));
  }
}
