package dev.mfaservice.errors;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Failures that say the database cannot be reached right now (down, restarting, failing over, a
 * standby that refuses writes): not a bug but a moment, so the client gets 14/UNAVAILABLE (503)
 * with a retry delay, never 500. A call whose connection broke after COMMIT was sent is among
 * them: its outcome is unknown, which the README says how to handle.
 */
public final class DatabaseUnavailable {
  public static final int RETRY_AFTER_SECONDS = 1;
  /** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, read_only_sql_transaction (a standby). */
  private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300", "25006");

  private DatabaseUnavailable() {
  }

  /** The 503 for this failure, if any cause in its chain says the database is unreachable. */
  public static Optional<ApiError> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (unreachable(t)) {
        return Optional.of(new ApiError(GrpcCode.UNAVAILABLE, "API-databaseUnavailable",
          "the database is not available right now; retry shortly",
          List.of(Map.of("@type", "type.googleapis.com/google.rpc.RetryInfo", "retryDelay", RETRY_AFTER_SECONDS + "s"))));
      }
    }
    return Optional.empty();
  }

  private static boolean unreachable(Throwable t) {
    if (t instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      return state.startsWith("08") || STATES.contains(state);
    }
    return t instanceof ConnectException || t instanceof ClosedConnectionException || t instanceof ClosedChannelException
      || t instanceof io.netty.channel.ConnectTimeoutException || closedBeforeSending(t) || socketFailed(t);
  }

  /**
   * A write or read on a database socket the server side has gone from ("Broken pipe", "Connection
   * reset by peer"): a plain IOException from the socket layer, which vertx-sql-client hands on as
   * the statement's failure (seen in FailoverIT). Only sockets: no other IOException is the database's.
   */
  private static boolean socketFailed(Throwable t) {
    if (!(t instanceof java.io.IOException)) {
      return false;
    }
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getClassName().startsWith("sun.nio.ch.") || frame.getClassName().startsWith("io.netty.channel.")) {
        return true;
      }
    }
    return false;
  }

  /** vertx-sql-client's refusal to send on a connection the server has just closed (a plain VertxException). */
  private static boolean closedBeforeSending(Throwable t) {
    return t instanceof io.vertx.core.VertxException && t.getMessage() != null
      && t.getMessage().startsWith("Connection is not active now");
  }
}
