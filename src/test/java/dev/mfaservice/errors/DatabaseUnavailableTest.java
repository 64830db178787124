package dev.mfaservice.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which failures say "the database is away right now" (503, retry) and which are bugs (500). */
class DatabaseUnavailableTest {
  @Test
  void aConnectionTheServerClosedIsUnavailableWhereverItShowsInTheChain() {
    // seen in FailoverIT: a statement scheduled on a connection the failover had just closed
    ApiError closed = DatabaseUnavailable.of(new RuntimeException(new VertxException("Connection is not active now, current status: CLOSED")))
      .orElseThrow();
    assertEquals(GrpcCode.UNAVAILABLE, closed.code());
    assertEquals("API-databaseUnavailable", closed.id());
    assertTrue(DatabaseUnavailable.of(new ConnectException("Connection refused")).isPresent());
  }

  @Test
  void otherFailuresAreNot() {
    assertTrue(DatabaseUnavailable.of(new VertxException("something else")).isEmpty());
    assertTrue(DatabaseUnavailable.of(new IllegalStateException("a bug")).isEmpty());
  }
}
