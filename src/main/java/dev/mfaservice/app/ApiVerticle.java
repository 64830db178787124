package dev.mfaservice.app;

import dev.mfaservice.http.HttpSettings;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.InvalidRequests;
import dev.mfaservice.http.CorsPolicy;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import dev.mfaservice.rpc.RpcProtocols;
import java.net.BindException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One event-loop instance of the API: builds the router from the contract, mounts the
 * capabilities, adds the RPC protocols (gRPC, gRPC-web, Connect) on the same port, listens. Its start future fails when the port cannot be bound; on stop,
 * it takes no new connections and in-flight requests get the configured grace period (HTTP/1.x
 * responses then say {@code Connection: close}, HTTP/2 gets GOAWAY), then its pool closes.
 * <p>
 * Each instance has a database pool of its own, created here so that its connections live on
 * this verticle's event loop: a request and its queries then run on one thread, without a
 * hand-over between event loops per round trip (RegisterTOTP +11% in bench/run, issue 8 note).
 */
final class ApiVerticle extends VerticleBase {
  private final HttpSettings http;
  private final Function<Vertx, Pool> pools;
  private final Function<Pool, Services> services;
  private final ConnectionDrain drain = new ConnectionDrain();
  private HttpServer server;
  private Pool pool;

  ApiVerticle(HttpSettings http, Function<Vertx, Pool> pools, Function<Pool, Services> services) {
    this.http = http;
    this.pools = pools;
    this.services = services;
  }

  @Override
  public Future<?> start() {
    pool = pools.apply(vertx);
    Services services = this.services.apply(pool);
    return ApiRouter.load(vertx, services.docs().parsed(), services.tokens(), http.bodyLimit(),
      new dev.mfaservice.http.TrustedProxies(http.trustedProxies()))
      .map(api -> {
        services.routes().forEach((Consumer<ApiRouter> mount) -> mount.accept(api));
        Router router = api.build();
        return new CorsPolicy(http.corsOrigins()).around(services.twilioVerify().api(vertx, http.bodyLimit())
          .around(RpcProtocols.create(api, http.bodyLimit()).around(router)));
      })
      .compose(handler -> {
        HttpServerOptions options = new HttpServerOptions().setHost(http.host()).setPort(http.port())
          .setCompressionSupported(false).setMaxHeaderSize(16 * 1024).setHttp2ClearTextEnabled(true)
          .setIdleTimeout(http.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
        // HTTP/2 headers (gRPC metadata) get the same room as HTTP/1.1's
        options.getInitialSettings().setMaxHeaderListSize(16 * 1024);
        if (http.tls()) {
          options.setSsl(true).setUseAlpn(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(http.tlsCert()).setKeyPath(http.tlsKey()));
        }
        server = vertx.createHttpServer(options);
        return server.connectionHandler(drain::opened).requestHandler(drain.around(handler))
          .invalidRequestHandler(InvalidRequests::handle).listen();
      });
  }

  @Override
  public Future<?> stop() {
    drain.begin();
    Future<Void> stopped = server == null ? Future.succeededFuture() : server.shutdown(http.shutdownSeconds(), TimeUnit.SECONDS);
    return stopped.eventually(() -> pool.close());
  }

  /** {@code instances} verticles, each with its own pool and services; waits for them (Main's thread). */
  static String deploy(Vertx vertx, Config config, int instances, java.util.function.Function<Vertx, Pool> pools,
                               java.util.function.Function<Pool, Services> services) {
    Future<String> deployed = vertx.deployVerticle(() -> new ApiVerticle(config.http(), pools, services),
      new DeploymentOptions().setInstances(instances));
    try {
      return deployed.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BindException) {
        throw new StartupException("cannot listen on " + config.http().host() + ":" + config.http().port()
          + " (MFA_HTTP_PORT): " + e.getCause().getMessage());
      }
      throw new StartupException("cannot start the API: " + EmbeddedDatabase.rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while starting");
    }
  }
}
