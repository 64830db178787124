package dev.mfaservice.app;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where PostgreSQL is, in the two forms we need: Vert.x's reactive client and JDBC (Flyway only).
 * {@code transactionPooler}: the address is a pooler in transaction mode (PgBouncer's
 * {@code pool_mode = transaction}), which hands each transaction to any server connection, so
 * nothing may outlive one: no named (cached) prepared statements, on either client.
 */
public record DatabaseAddress(String host, int port, String database, String user, String password,
                              boolean transactionPooler) {

  public DatabaseAddress(String host, int port, String database, String user, String password) {
    this(host, port, database, user, password, false);
  }

  /** From {@code postgresql://user:password@host:port/database}. */
  public static DatabaseAddress fromUrl(URI url) {
    String user = "postgres";
    String password = "";
    if (url.getRawUserInfo() != null) {
      String[] parts = url.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : "";
    }
    String path = url.getPath() == null ? "" : url.getPath().replaceFirst("^/", "");
    return new DatabaseAddress(url.getHost(), url.getPort() > 0 ? url.getPort() : 5432,
      path.isEmpty() ? "postgres" : path, user, password);
  }

  public DatabaseAddress withDatabase(String name) {
    return new DatabaseAddress(host, port, name, user, password, transactionPooler);
  }

  public DatabaseAddress withTransactionPooler(boolean pooler) {
    return new DatabaseAddress(host, port, database, user, password, pooler);
  }

  /**
   * Behind a transaction pooler, Vert.x's layer-7 proxy mode: every statement is parsed unnamed in
   * the same round trip that binds and runs it. Statements a transaction pipelines stay on one
   * server connection, which the pooler keeps until the transaction ends.
   */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user)
      .setPassword(password).setCachePreparedStatements(!transactionPooler).setUseLayer7Proxy(transactionPooler)
      .setPipeliningLimit(256);
  }

  /** Behind a transaction pooler, {@code prepareThreshold=0}: pgJDBC never switches to named statements. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + (transactionPooler ? "?prepareThreshold=0" : "");
  }

  /** For messages: never the password. */
  public String describe() {
    return user + "@" + host + ":" + port + "/" + database + (transactionPooler ? " (transaction pooler)" : "");
  }

  /** Never the password (a record's own toString would print it). */
  @Override
  public String toString() {
    return describe();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
