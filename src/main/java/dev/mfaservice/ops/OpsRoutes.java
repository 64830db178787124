package dev.mfaservice.ops;

import dev.mfaservice.http.ApiRouter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** Liveness, readiness (the database answers, the machine id lease is held), Prometheus metrics and the contract itself. */
public final class OpsRoutes {
  private static final long READY_TIMEOUT_MILLIS = 2_000;
  private final Pool pool;
  private final Handler<RoutingContext> metrics;
  private final ApiDocs docs;
  private final java.util.function.BooleanSupplier idsAvailable;

  /** @param idsAvailable whether this instance holds its machine id lease (it cannot create anything without) */
  public OpsRoutes(Pool pool, PrometheusMeterRegistry registry, ApiDocs docs, java.util.function.BooleanSupplier idsAvailable) {
    this.pool = pool;
    this.idsAvailable = idsAvailable;
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
      .onComplete(done -> {
        boolean ids = idsAvailable.getAsBoolean();
        boolean ready = done.succeeded() && ids;
        json(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "ok" : "unavailable")
          .put("database", done.succeeded() ? "ok" : "unreachable").put("ids", ids ? "ok" : "unavailable"));
      });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
