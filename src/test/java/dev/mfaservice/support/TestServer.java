package dev.mfaservice.support;

import dev.mfaservice.app.Application;
import dev.mfaservice.app.Config;
import dev.mfaservice.app.DatabaseAddress;
import dev.mfaservice.auth.DevIssuer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real service for one test class: its own database, data dir and port, the dev issuer for
 * tokens. Extra settings are given as the environment variables a user would set.
 */
public final class TestServer implements AutoCloseable {
  public final Application app;
  public final Config config;
  public final Http http;
  public final DatabaseAddress database;
  private final DevIssuer issuer;

  private TestServer(Application app, Config config, DatabaseAddress database) {
    this.app = app;
    this.config = config;
    this.database = database;
    this.http = new Http(config.http().port());
    this.issuer = config.auth().devIssuer() ? DevIssuer.loadOrCreate(config.dataDir(), new SecureRandom()) : null;
  }

  public static TestServer start(Class<?> owner) {
    return start(owner, Map.of());
  }

  public static TestServer start(Class<?> owner, Map<String, String> extraEnv) {
    return start(owner, extraEnv, Clock.systemUTC());
  }

  public static TestServer start(Class<?> owner, Map<String, String> extraEnv, Clock clock) {
    return startOn(TestDatabases.freshDatabase(owner.getSimpleName()), owner, extraEnv, clock);
  }

  /** A further instance on an existing database (several service instances sharing one PostgreSQL). */
  public static TestServer startOn(DatabaseAddress db, Class<?> owner, Map<String, String> extraEnv, Clock clock) {
    Map<String, String> env = new HashMap<>(baseEnv(owner));
    env.putAll(databaseEnv(db));
    env.putAll(extraEnv);
    Config config = Config.load(env);
    return new TestServer(Application.start(config, clock, new SecureRandom()), config, db);
  }

  /** The settings that point an instance at {@code db}: its URL, and whether it is a transaction pooler. */
  public static Map<String, String> databaseEnv(DatabaseAddress db) {
    return db.transactionPooler()
      ? Map.of("MFA_DATABASE_URL", url(db), "MFA_DATABASE_TRANSACTION_POOLING", "true")
      : Map.of("MFA_DATABASE_URL", url(db));
  }

  /** {@link #databaseEnv(DatabaseAddress)} of this instance's database, for another instance to start on. */
  public Map<String, String> databaseEnv() {
    return databaseEnv(database);
  }

  private static String url(DatabaseAddress db) {
    return "postgresql://" + db.user() + ":" + db.password() + "@" + db.host() + ":" + db.port() + "/" + db.database();
  }

  /** Settings of a test instance: a free port, a fresh data dir, two verticle instances. */
  public static Map<String, String> baseEnv(Class<?> owner) {
    try {
      Path dataDir = Files.createTempDirectory("mfa-" + owner.getSimpleName());
      return Map.of("MFA_HTTP_PORT", Integer.toString(freePort()), "MFA_DATA_DIR", dataDir.toString(),
        "MFA_HTTP_INSTANCES", "2", "MFA_HTTP_HOST", "127.0.0.1");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token of the dev issuer for {@code user} of {@code org} holding {@code roles} there. */
  public String token(String user, String org, String... roles) {
    return issuer.mint(app.vertx(), config.auth(), user, org, List.of(roles), 600);
  }

  public String adminToken() {
    return token("admin", "instance", "IAM_OWNER");
  }

  public String createOrg(String name) {
    Http.Reply r = http.post("/v2/organizations", adminToken(), new JsonObject().put("name", name));
    if (r.status() != 201) {
      throw new IllegalStateException("create org: " + r.status() + " " + r.text());
    }
    return r.json().getString("organizationId");
  }

  public String createUser(String orgId, String username) {
    Http.Reply r = http.post("/v2/users/human", adminToken(), new JsonObject()
      .put("organization", new JsonObject().put("orgId", orgId)).put("username", username)
      .put("profile", new JsonObject().put("givenName", "Given").put("familyName", "Family")));
    if (r.status() != 201) {
      throw new IllegalStateException("create user: " + r.status() + " " + r.text());
    }
    return r.json().getString("userId");
  }

  /** The URL of this instance's database, for another instance (or process) to start on. */
  public String databaseUrl() {
    return url(database);
  }

  /** Stops the service and gives the URL of its (still existing, migrated) database. */
  public String closeAndUrl() {
    app.close();
    return url(database);
  }

  /** A pool of its own on this instance's database (the caller closes it), for a test that drives SQL directly. */
  public io.vertx.sqlclient.Pool pool(int maxSize) {
    return io.vertx.pgclient.PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(maxSize))
      .connectingTo(database.connectOptions()).using(app.vertx()).build();
  }

  /** Stops this instance and keeps its database (for a restart or when another instance shares it). */
  public void stopKeepingDatabase() {
    app.close();
  }

  @Override
  public void close() {
    app.close();
    TestDatabases.drop(database);
  }
}
