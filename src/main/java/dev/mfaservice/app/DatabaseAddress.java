package dev.mfaservice.app;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Where PostgreSQL is, in the two forms we need: Vert.x's reactive client and JDBC (Flyway only). */
public record DatabaseAddress(String host, int port, String database, String user, String password) {

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
    return new DatabaseAddress(host, port, name, user, password);
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user)
      .setPassword(password).setCachePreparedStatements(true).setPipeliningLimit(256);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** For messages: never the password. */
  public String describe() {
    return user + "@" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
