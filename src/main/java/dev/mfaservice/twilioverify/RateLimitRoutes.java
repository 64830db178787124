package dev.mfaservice.twilioverify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The RateLimits and Buckets operations of the Twilio contract, by its operationIds. */
final class RateLimitRoutes {
  private final RateLimitCommands limits;
  private final RateLimitBucketCommands buckets;

  RateLimitRoutes(RateLimitCommands limits, RateLimitBucketCommands buckets) {
    this.limits = limits;
    this.buckets = buckets;
  }

  Map<String, VerifyCall.Handler> handlers() {
    return Map.of("CreateRateLimit", this::create, "ListRateLimit", this::list, "FetchRateLimit", this::fetch,
      "UpdateRateLimit", this::update, "DeleteRateLimit", this::delete, "CreateBucket", this::createBucket,
      "ListBucket", this::listBuckets, "FetchBucket", this::fetchBucket, "UpdateBucket", this::updateBucket,
      "DeleteBucket", this::deleteBucket);
  }

  private Future<VerifyCall.Reply> create(VerifyCall call) {
    return limits.create(call.account(), call.serviceSid(), call.input().getString("UniqueName"),
      call.input().getString("Description")).map(l -> new VerifyCall.Reply(201, l.json(call.baseUrl())));
  }

  private Future<VerifyCall.Reply> list(VerifyCall call) {
    ListPage page = ListPage.of(call.input());
    return limits.page(call.account(), call.serviceSid(), page.size() + 1, page.offset())
      .map(rows -> listed(call, page, "rate_limits", rows, l -> l.json(call.baseUrl()),
        "/v2/Services/" + call.serviceSid() + "/RateLimits"));
  }

  private Future<VerifyCall.Reply> fetch(VerifyCall call) {
    return limits.fetch(call.account(), call.serviceSid(), call.sid())
      .map(l -> new VerifyCall.Reply(200, l.json(call.baseUrl())));
  }

  private Future<VerifyCall.Reply> update(VerifyCall call) {
    return limits.update(call.account(), call.serviceSid(), call.sid(), call.input())
      .map(l -> new VerifyCall.Reply(200, l.json(call.baseUrl())));
  }

  private Future<VerifyCall.Reply> delete(VerifyCall call) {
    return limits.delete(call.account(), call.serviceSid(), call.sid()).map(v -> new VerifyCall.Reply(204, null));
  }

  private Future<VerifyCall.Reply> createBucket(VerifyCall call) {
    return buckets.create(call.account(), call.serviceSid(), limitSid(call), call.input().getInteger("Max"),
      call.input().getInteger("Interval")).map(b -> new VerifyCall.Reply(201, b.json(call.baseUrl())));
  }

  private Future<VerifyCall.Reply> listBuckets(VerifyCall call) {
    ListPage page = ListPage.of(call.input());
    return buckets.page(call.account(), call.serviceSid(), limitSid(call), page.size() + 1, page.offset())
      .map(rows -> listed(call, page, "buckets", rows, b -> b.json(call.baseUrl()),
        "/v2/Services/" + call.serviceSid() + "/RateLimits/" + limitSid(call) + "/Buckets"));
  }

  private Future<VerifyCall.Reply> fetchBucket(VerifyCall call) {
    return buckets.fetch(call.account(), call.serviceSid(), limitSid(call), call.sid())
      .map(b -> new VerifyCall.Reply(200, b.json(call.baseUrl())));
  }

  private Future<VerifyCall.Reply> updateBucket(VerifyCall call) {
    return buckets.update(call.account(), call.serviceSid(), limitSid(call), call.sid(), call.input())
      .map(b -> new VerifyCall.Reply(200, b.json(call.baseUrl())));
  }

  private Future<VerifyCall.Reply> deleteBucket(VerifyCall call) {
    return buckets.delete(call.account(), call.serviceSid(), limitSid(call), call.sid())
      .map(v -> new VerifyCall.Reply(204, null));
  }

  private static String limitSid(VerifyCall call) {
    return call.param("RateLimitSid");
  }

  private static <T> VerifyCall.Reply listed(VerifyCall call, ListPage page, String key, List<T> rows,
                                             Function<T, JsonObject> json, String path) {
    return new VerifyCall.Reply(200, page.answer(key, rows.stream().map(json).toList(), call.baseUrl() + path));
  }
}
