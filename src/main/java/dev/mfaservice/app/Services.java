package dev.mfaservice.app;

import dev.mfaservice.auth.TokenVerifier;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.factors.AuthMethodQueries;
import dev.mfaservice.factors.AuthMethodRoutes;
import dev.mfaservice.factors.FactorKit;
import dev.mfaservice.factors.SecondFactor;
import dev.mfaservice.user.UserChanges;
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
import dev.mfaservice.session.SessionCommands;
import dev.mfaservice.session.SessionFactors;
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
import dev.mfaservice.twilioverify.TwilioVerify;
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
record Services(TokenVerifier tokens, ApiDocs docs, List<Consumer<ApiRouter>> routes, TwilioVerify twilioVerify) {

  /** @param channels the delivery channels this instance can send on */
  static Services create(Config config, Pool pool, TokenVerifier tokens, PrometheusMeterRegistry registry,
                         ApiDocs docs, Clock clock, SecureRandom random, IdGenerator ids, Keyring keyring,
                         EventBus bus, Set<String> channels, ApiDocs twilioDocs) {
    LinkRules links = new LinkRules(config.auth().devIssuer(), config.linkHosts());
    Transactions transactions = new Transactions(pool);
    EventStore events = new EventStore(clock);
    OrgRepository orgs = new OrgRepository();
    UserRepository users = new UserRepository();
    UserAccess access = new UserAccess(users);
    UserChanges changes = new UserChanges(events);

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
    PolicyRoutes policyRoutes = new PolicyRoutes(new LoginPolicyCommands(transactions, events, orgs, policies),
      new LockoutPolicyCommands(transactions, events, orgs, policies), new PolicyQueries(pool, policies));
    FactorKit kit = new FactorKit(transactions, events, access, changes, lockout, notices, codes, delivery,
      links, phones, keyring, new CodeHasher(keyring), ids, random, clock);
    List<SecondFactor> factors = SecondFactors.create(kit, config);
    AuthMethodRoutes methodRoutes = new AuthMethodRoutes(new AuthMethodQueries(pool, access,
      factors.stream().map(SecondFactor::source).toList()));
    SessionFactors sessionFactors = new SessionFactors(factors.stream().flatMap(f -> f.checks().stream()).toList(),
      factors.stream().flatMap(f -> f.challenges().stream()).toList());
    SessionRoutes sessionRoutes = new SessionRoutes(new SessionCommands(transactions, events, new SessionRepository(), access,
      users, lockout, factorPolicy, sessionFactors, kit.hasher(), ids, random, clock));
    List<Consumer<ApiRouter>> routes = new java.util.ArrayList<>(List.of(ops::mount, orgRoutes::mount, userRoutes::mount,
      eventRoutes::mount, methodRoutes::mount, policyRoutes::mount, contactRoutes::mount, sessionRoutes::mount));
    factors.forEach(f -> routes.add(f::mount));
    TwilioVerify twilioVerify = new TwilioVerify(transactions, events, orgs, kit.hasher(), random,
      config.twilioVerify(), twilioDocs.contract(), twilioDocs.parsed(), outbox, limits, keyring, clock,
      phones);
    routes.add(twilioVerify::mount);
    return new Services(tokens, docs, routes, twilioVerify);
  }
}
