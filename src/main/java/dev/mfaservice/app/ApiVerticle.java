package dev.mfaservice.app;

import dev.mfaservice.http.ApiRouter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One event-loop instance of the HTTP API: builds the router from the contract, mounts the
 * capabilities, listens. Its start future fails when the port cannot be bound; on stop,
 * in-flight requests get the configured grace period.
 */
final class ApiVerticle extends VerticleBase {
  private final Config.Http http;
  private final Services services;
  private HttpServer server;

  ApiVerticle(Config.Http http, Services services) {
    this.http = http;
    this.services = services;
  }

  @Override
  public Future<?> start() {
    return ApiRouter.load(vertx, services.tokens(), http.bodyLimit())
      .map(api -> {
        services.routes().forEach((Consumer<ApiRouter> mount) -> mount.accept(api));
        return api.build();
      })
      .compose(router -> {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(http.host()).setPort(http.port())
          .setCompressionSupported(false).setMaxHeaderSize(16 * 1024));
        return server.requestHandler(router).listen();
      });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(http.shutdownSeconds(), TimeUnit.SECONDS);
  }
}
