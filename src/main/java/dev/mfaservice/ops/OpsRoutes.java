package dev.mfaservice.ops;

import dev.mfaservice.http.ApiRouter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** Liveness, readiness (the database answers), Prometheus metrics and the contract itself. */
public final class OpsRoutes {
  private static final long READY_TIMEOUT_MILLIS = 2_000;
  private final Pool pool;
  private final Handler<RoutingContext> metrics;
  private final ApiDocs docs;

  public OpsRoutes(Pool pool, PrometheusMeterRegistry registry, ApiDocs docs) {
    this.pool = pool;
    this.metrics = PrometheusScrapingHandler.create(registry);
    this.docs = docs;
  }

  public void mount(ApiRouter api) {
    api.onHttp("Ops_Healthz", ctx -> json(ctx, 200, new JsonObject().put("status", "ok")))
      .onHttp("Ops_Readyz", this::readyz)
      .onHttp("Ops_Metrics", metrics)
      .onHttp("Ops_OpenApi", ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(docs.contract()))
      .onHttp("Ops_Docs", ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(docs.page()));
  }

  private void readyz(RoutingContext ctx) {
    pool.query("select 1").execute()
      .timeout(READY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
      .onComplete(done -> json(ctx, done.succeeded() ? 200 : 503, new JsonObject()
        .put("status", done.succeeded() ? "ok" : "unavailable")
        .put("database", done.succeeded() ? "ok" : "unreachable")));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
