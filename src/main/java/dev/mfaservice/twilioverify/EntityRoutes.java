package dev.mfaservice.twilioverify;

import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.Transactions;
import dev.mfaservice.totp.TotpCodes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The Entities, Factors (totp) and Challenges (totp) operations of the Twilio contract, by their operationIds. A
 * Factor's other types (push, passkeys) → 60369; an invalid parameter of these operations → 60306.
 */
final class EntityRoutes {
  private final EntityCommands entities;
  private final FactorCommands factors;
  private final ChallengeCommands challenges;
  private final Clock clock;

  EntityRoutes(EntityCommands entities, FactorCommands factors, ChallengeCommands challenges, Clock clock) {
    this.entities = entities;
    this.factors = factors;
    this.challenges = challenges;
    this.clock = clock;
  }

  /** The operations on their commands, on the Services' repository and the capability's sids, keyring and clock. */
  static EntityRoutes of(Transactions transactions, EventStore events, VerifyServiceRepository services, Sids sids,
                         SecureRandom random, Keyring keyring, Clock clock) {
    FactorRepository factorRows = new FactorRepository();
    FactorCodes codes = new FactorCodes(new TotpCodes(random), keyring);
    EntityCommands entities = new EntityCommands(transactions, events, services, new EntityRepository(), sids, clock);
    FactorCommands factors = new FactorCommands(transactions, events, entities, factorRows, codes, sids, clock);
    return new EntityRoutes(entities, factors, new ChallengeCommands(transactions, events, factors, factorRows,
      new ChallengeRepository(), codes, sids, clock), clock);
  }

  Map<String, VerifyCall.Handler> handlers() {
    Map<String, VerifyCall.Handler> handlers = new HashMap<>(Map.of("CreateEntity", this::createEntity,
      "FetchEntity", this::fetchEntity, "ListEntity", this::listEntities, "DeleteEntity", this::deleteEntity,
      "CreateNewFactor", this::createFactor, "FetchFactor", this::fetchFactor, "ListFactor", this::listFactors,
      "UpdateFactor", this::updateFactor, "DeleteFactor", this::deleteFactor));
    handlers.putAll(Map.of("CreateChallenge", this::createChallenge, "FetchChallenge", this::fetchChallenge,
      "ListChallenge", this::listChallenges, "UpdateChallenge", this::updateChallenge));
    return handlers;
  }

  private Future<VerifyCall.Reply> createEntity(VerifyCall call) {
    return entities.create(call.account(), call.serviceSid(), identity(call))
      .map(e -> reply(201, EntityJson.entity(e, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> fetchEntity(VerifyCall call) {
    return entities.fetch(call.account(), call.serviceSid(), identity(call))
      .map(e -> reply(200, EntityJson.entity(e, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> listEntities(VerifyCall call) {
    ListPage page = ListPage.of(call.input());
    return entities.page(call.account(), call.serviceSid(), page.size() + 1, page.offset())
      .map(rows -> reply(200, page.answer("entities", rows.stream().map(e -> EntityJson.entity(e, call.baseUrl())).toList(),
        call.baseUrl() + "/v2/Services/" + call.serviceSid() + "/Entities")));
  }

  private Future<VerifyCall.Reply> deleteEntity(VerifyCall call) {
    return entities.delete(call.account(), call.serviceSid(), identity(call)).map(v -> reply(204, null));
  }

  private Future<VerifyCall.Reply> createFactor(VerifyCall call) {
    return factors.create(call.account(), call.serviceSid(), call.input())
      .map(f -> reply(201, EntityJson.newFactor(f, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> fetchFactor(VerifyCall call) {
    return factors.fetch(call.account(), call.serviceSid(), identity(call), call.sid())
      .map(f -> reply(200, EntityJson.factor(f, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> listFactors(VerifyCall call) {
    ListPage page = ListPage.of(call.input());
    return factors.page(call.account(), call.serviceSid(), identity(call), page.size() + 1, page.offset())
      .map(rows -> reply(200, page.answer("factors", rows.stream().map(f -> EntityJson.factor(f, call.baseUrl())).toList(),
        listUrl(call, "Factors"))));
  }

  private Future<VerifyCall.Reply> updateFactor(VerifyCall call) {
    return factors.update(call.account(), call.serviceSid(), identity(call), call.sid(), call.input())
      .map(f -> reply(200, EntityJson.factor(f, call.baseUrl())));
  }

  private Future<VerifyCall.Reply> deleteFactor(VerifyCall call) {
    return factors.delete(call.account(), call.serviceSid(), identity(call), call.sid()).map(v -> reply(204, null));
  }

  private Future<VerifyCall.Reply> createChallenge(VerifyCall call) {
    return challenges.create(call.account(), call.serviceSid(), identity(call), call.input())
      .map(c -> reply(201, EntityJson.challenge(c, clock.instant(), call.baseUrl())));
  }

  private Future<VerifyCall.Reply> fetchChallenge(VerifyCall call) {
    return challenges.fetch(call.account(), call.serviceSid(), identity(call), call.sid())
      .map(c -> reply(200, EntityJson.challenge(c, clock.instant(), call.baseUrl())));
  }

  private Future<VerifyCall.Reply> listChallenges(VerifyCall call) {
    ListPage page = ListPage.of(call.input());
    return challenges.page(call.account(), call.serviceSid(), identity(call), call.input(), page.size() + 1, page.offset())
      .map(rows -> reply(200, page.answer("challenges", rows.stream()
        .map(c -> EntityJson.challenge(c, clock.instant(), call.baseUrl())).toList(), listUrl(call, "Challenges") + filters(call.input()))));
  }

  private Future<VerifyCall.Reply> updateChallenge(VerifyCall call) {
    return challenges.update(call.account(), call.serviceSid(), identity(call), call.sid(), call.input())
      .map(c -> reply(200, EntityJson.challenge(c, clock.instant(), call.baseUrl())));
  }

  private static String identity(VerifyCall call) {
    return VerifyEntity.identity(call.input().getString("Identity"));
  }

  private static String listUrl(VerifyCall call, String collection) {
    return call.baseUrl() + "/v2/Services/" + call.serviceSid() + "/Entities/" + identity(call) + "/" + collection;
  }

  /** The list's filters, for its pages' URLs. */
  private static String filters(JsonObject in) {
    StringBuilder query = new StringBuilder();
    for (String name : new String[] {"FactorSid", "Status", "Order"}) {
      if (in.getString(name) != null) {
        query.append(query.length() == 0 ? "?" : "&").append(name).append('=').append(in.getString(name));
      }
    }
    return query.toString();
  }

  private static VerifyCall.Reply reply(int status, JsonObject body) {
    return new VerifyCall.Reply(status, body);
  }
}
