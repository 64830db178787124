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
import dev.mfaservice.retention.RetentionJob;
import dev.mfaservice.retention.RetentionSweep;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.twilioverify.TwilioVerify;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: database (embedded or given), migrations, Vert.x with metrics, the one
 * shared pool, token verification, the outbox workers and the API verticles. Started and stopped
 * from a plain thread (Main, tests), where blocking is allowed; {@link Shutdown} stops it, in order.
 */
public final class Application implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final Vertx vertx;
  private final DatabaseAddress database;
  private final Shutdown shutdown;
  private final int machineId;

  private Application(Vertx vertx, DatabaseAddress database, Shutdown shutdown, int machineId) {
    this.vertx = vertx;
    this.database = database;
    this.shutdown = shutdown;
    this.machineId = machineId;
  }

  public static Application start(Config config, Clock clock, SecureRandom random) {
    return start(config, clock, random, MachineLease.ID_SPACE);
  }

  /** {@code idSpace}: how many machine ids there are to lease (tests shrink it to see the id space run out). */
  static Application start(Config config, Clock clock, SecureRandom random, int idSpace) {
    return start(config, clock, random, idSpace, () -> { });
  }

  /**
   * {@code checkpoint} runs between the steps of the start and throws to give it up (a stop asked
   * for while starting); whatever was started by then is stopped, in order, before this throws.
   */
  static Application start(Config config, Clock clock, SecureRandom random, int idSpace, Runnable checkpoint) {
    long started = System.nanoTime();
    createDataDir(config);
    Shutdown shutdown = new Shutdown(config.http().shutdownSeconds());
    try {
      EmbeddedDatabase embedded = config.database().url().isPresent() ? null
        : EmbeddedDatabase.start(config.dataDir(), config.database().embeddedPort());
      shutdown.embedded(embedded);
      DatabaseAddress db = embedded != null ? embedded.address() : DatabaseAddress.fromUrl(config.database().url().get())
        .withTransactionPooler(config.database().transactionPooling());
      checkpoint.run();
      int applied = Migrations.migrate(db, Duration.ofSeconds(config.database().startupWaitSeconds()));
      checkpoint.run();
      Application app = run(config, clock, random, idSpace, checkpoint, db, shutdown);
      LOG.info("mfa-service listening on {}://{}:{} (database {}{}, {} migration(s) applied, machine id {}, tokens from {}; "
          + "heap max {} MiB, {} CPU) in {} ms",
        config.http().tls() ? "https" : "http", config.http().host(), config.http().port(), db.describe(), embedded != null ? " embedded" : "",
        applied, app.machineId, config.auth().external() ? config.auth().issuer().get() : "the dev issuer",
        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), (System.nanoTime() - started) / 1_000_000);
      return app;
    } catch (RuntimeException e) {
      shutdown.run("start-up did not complete");
      throw e;
    }
  }

  /** Vert.x, the lease, the workers, then the API: each handed to {@code shutdown} as soon as it runs. */
  private static Application run(Config config, Clock clock, SecureRandom random, int idSpace, Runnable checkpoint,
                                 DatabaseAddress db, Shutdown shutdown) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
      .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .build();
    shutdown.vertx(vertx);
    Pool pool = pool(vertx, db, Math.max(2, config.database().poolSize() / 4), "mfa-service-workers");
    shutdown.pool(pool);
    MachineLease lease = MachineIds.lease(vertx, pool, config.ids(), idSpace, clock);
    shutdown.lease(lease);
    checkpoint.run();
    TokenVerifier tokens = await(TokenVerifiers.create(vertx, config, random, clock), "cannot set up token verification");
    Keyring keyring = MasterKeys.load(config.masterKey(), config.dataDir(), random);
    Map<String, ChannelTransport> transports = Transports.create(vertx, config);
    IdGenerator ids = lease.ids();
    ApiDocs docs = ApiDocs.of(contract(ApiRouter.CONTRACT));
    ApiDocs twilioDocs = ApiDocs.of(contract(TwilioVerify.CONTRACT));
    deployWorkers(vertx, config, pool, keyring, transports, clock, shutdown);
    await(vertx.deployVerticle(new RetentionJob(new RetentionSweep(pool, config.retention(), clock), config.retention(),
      registry)), "cannot start the retention job");
    checkpoint.run();
    int instances = instances(config);
    int perInstance = Math.max(2, config.database().poolSize() / instances);
    shutdown.api(ApiVerticle.deploy(vertx, config, instances, v -> pool(v, db, perInstance, "mfa-service"), apiPool -> Services.create(config,
      apiPool, tokens, registry, docs, clock, random, ids, keyring, vertx.eventBus(), transports.keySet(), twilioDocs)));
    checkpoint.run();
    return new Application(vertx, db, shutdown, lease.machineId());
  }

  public DatabaseAddress database() {
    return database;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** {@link #close(String)}, for a stop its owner asked for (tests, try-with-resources). */
  @Override
  public void close() {
    close("stop requested");
  }

  /**
   * Stops taking connections, lets in-flight requests and sends finish, releases the machine id,
   * closes the pools and Vert.x, then the embedded database; {@code reason} goes to the log. Once.
   */
  public void close(String reason) {
    shutdown.run(reason);
  }

  private static Pool pool(Vertx vertx, DatabaseAddress db, int size, String name) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(size).setName(name)).connectingTo(db.connectOptions())
      .using(vertx).build();
  }

  private static int instances(Config config) {
    return config.http().instances() > 0 ? config.http().instances() : Runtime.getRuntime().availableProcessors();
  }

  /** One outbox worker per channel that can deliver here; started before the API takes requests. */
  private static void deployWorkers(Vertx vertx, Config config, Pool pool, Keyring keyring,
                                    Map<String, ChannelTransport> transports, Clock clock, Shutdown shutdown) {
    transports.forEach((channel, transport) -> {
      OutboxWorker worker = new OutboxWorker(channel, pool, new OutboxRepository(), new EventStore(clock), keyring, transport,
        config.notifications(), clock);
      shutdown.worker(await(vertx.deployVerticle(worker), "cannot start the " + channel + " worker"), worker);
    });
  }

  private static Buffer contract(String name) {
    try (InputStream in = Application.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new StartupException("the contract " + name + " is missing from the class path");
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
}
