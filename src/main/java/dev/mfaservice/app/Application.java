package dev.mfaservice.app;

import dev.mfaservice.auth.TokenVerifier;
import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.crypto.MasterKeys;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.ids.IdGenerator;
import dev.mfaservice.ids.MachineLease;
import dev.mfaservice.notify.ChannelTransport;
import dev.mfaservice.notify.OutboxRepository;
import dev.mfaservice.notify.OutboxWorker;
import dev.mfaservice.store.EventStore;
import java.util.Map;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import dev.mfaservice.ops.ApiDocs;
import io.vertx.core.buffer.Buffer;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: database (embedded or given), migrations, Vert.x with metrics, the one
 * shared pool, token verification, and the API verticles. Started and stopped from a plain
 * thread (Main, tests), where blocking is allowed.
 */
public final class Application implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final Vertx vertx;
  private final Pool pool;
  private final EmbeddedDatabase embedded;
  private final DatabaseAddress database;
  private final MachineLease lease;

  private Application(Vertx vertx, Pool pool, EmbeddedDatabase embedded, DatabaseAddress database, MachineLease lease) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
    this.database = database;
    this.lease = lease;
  }

  public static Application start(Config config, Clock clock, SecureRandom random) {
    return start(config, clock, random, MachineLease.ID_SPACE);
  }

  /** {@code idSpace}: how many machine ids there are to lease (tests shrink it to see the id space run out). */
  static Application start(Config config, Clock clock, SecureRandom random, int idSpace) {
    long started = System.nanoTime();
    createDataDir(config);
    EmbeddedDatabase embedded = config.database().url().isPresent() ? null
      : EmbeddedDatabase.start(config.dataDir(), config.database().embeddedPort());
    DatabaseAddress db = embedded != null ? embedded.address() : DatabaseAddress.fromUrl(config.database().url().get());
    Vertx vertx = null;
    MachineLease leased = null;
    try {
      int applied = Migrations.migrate(db);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Vertx running = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
      vertx = running;
      Pool pool = pool(vertx, db, Math.max(2, config.database().poolSize() / 4), "mfa-service-workers");
      MachineLease lease = MachineIds.lease(vertx, pool, config.ids(), idSpace, clock);
      leased = lease;
      TokenVerifier tokens = await(TokenVerifiers.create(vertx, config, random, clock), "cannot set up token verification");
      Keyring keyring = MasterKeys.load(config.masterKey(), config.dataDir(), random);
      Map<String, ChannelTransport> transports = Transports.create(vertx, config);
      IdGenerator ids = lease.ids();
      ApiDocs docs = ApiDocs.of(contract());
      deployWorkers(vertx, config, pool, keyring, transports, clock);
      int instances = instances(config);
      int perInstance = Math.max(2, config.database().poolSize() / instances);
      deploy(vertx, config, instances, v -> pool(v, db, perInstance, "mfa-service"), apiPool -> Services.create(config,
        apiPool, tokens, registry, docs, clock, random, ids, keyring, running.eventBus(), transports.keySet()));
      LOG.info("mfa-service listening on {}://{}:{} (database {}{}, {} migration(s) applied, machine id {}, tokens from {}) in {} ms",
        config.http().tls() ? "https" : "http", config.http().host(), config.http().port(), db.describe(), embedded != null ? " embedded" : "", applied,
        lease.machineId(), config.auth().external() ? config.auth().issuer().get() : "the dev issuer", (System.nanoTime() - started) / 1_000_000);
      return new Application(vertx, pool, embedded, db, lease);
    } catch (RuntimeException e) {
      releaseQuietly(leased);
      closeQuietly(vertx, embedded);
      throw e;
    }
  }

  public DatabaseAddress database() {
    return database;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Stops taking requests, lets in-flight ones finish, closes the pool and the database. */
  @Override
  public void close() {
    try {
      for (String id : vertx.deploymentIDs()) {
        await(vertx.undeploy(id), "cannot stop the API");
      }
      await(lease.release(), "cannot release the machine id");
      await(pool.close(), "cannot close the database pool");
    } finally {
      closeQuietly(vertx, embedded);
    }
    LOG.info("mfa-service stopped");
  }

  private static Pool pool(Vertx vertx, DatabaseAddress db, int size, String name) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(size).setName(name)).connectingTo(db.connectOptions())
      .using(vertx).build();
  }

  private static int instances(Config config) {
    return config.http().instances() > 0 ? config.http().instances() : Runtime.getRuntime().availableProcessors();
  }

  private static void deploy(Vertx vertx, Config config, int instances, java.util.function.Function<Vertx, Pool> pools,
                             java.util.function.Function<Pool, Services> services) {
    Future<String> deployed = vertx.deployVerticle(() -> new ApiVerticle(config.http(), pools, services),
      new DeploymentOptions().setInstances(instances));
    try {
      deployed.toCompletionStage().toCompletableFuture().get();
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

  /** One outbox worker per channel that can deliver here; started before the API takes requests. */
  private static void deployWorkers(Vertx vertx, Config config, Pool pool, Keyring keyring,
                                    Map<String, ChannelTransport> transports, Clock clock) {
    transports.forEach((channel, transport) -> await(vertx.deployVerticle(new OutboxWorker(channel, pool,
      new OutboxRepository(), new EventStore(clock), keyring, transport, config.notifications(), clock)),
      "cannot start the " + channel + " worker"));
  }

  private static Buffer contract() {
    try (InputStream in = Application.class.getClassLoader().getResourceAsStream(ApiRouter.CONTRACT)) {
      if (in == null) {
        throw new StartupException("the contract " + ApiRouter.CONTRACT + " is missing from the class path");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new StartupException("cannot read the contract: " + e.getMessage());
    }
  }

  private static void createDataDir(Config config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new StartupException("cannot create the data dir " + config.dataDir() + " (MFA_DATA_DIR): " + e.getMessage());
    }
  }

  static <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new StartupException(what + ": " + EmbeddedDatabase.rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException(what + ": interrupted");
    }
  }

  private static void releaseQuietly(MachineLease lease) {
    try {
      if (lease != null) {
        await(lease.release(), "cannot release the machine id");
      }
    } catch (StartupException e) {
      LOG.warn("{}", e.getMessage());
    }
  }

  private static void closeQuietly(Vertx vertx, EmbeddedDatabase embedded) {
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get();
      } catch (ExecutionException e) {
        LOG.warn("closing Vert.x failed: {}", e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
