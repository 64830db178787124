package dev.mfaservice.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
  void aSocketTheServerResetIsUnavailable() throws Exception {
    // seen in FailoverIT: "java.io.IOException: Broken pipe" from the pg client's write to the killed primary
    IOException reset = null;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      Socket accepted = server.accept();
      accepted.setSoLinger(true, 0);
      accepted.close(); // RST
      for (int i = 0; i < 100 && reset == null; i++) {
        try {
          client.getOutputStream().write(new byte[8192]);
          Thread.sleep(10);
        } catch (IOException e) {
          reset = e;
        }
      }
    }
    assertTrue(reset != null, "the write to a reset socket failed");
    assertTrue(DatabaseUnavailable.of(new RuntimeException(reset)).isPresent(), reset.toString());
    assertTrue(DatabaseUnavailable.of(new IOException("no such file")).isEmpty(), "an IOException not from a socket is a bug");
  }

  @Test
  void otherFailuresAreNot() {
    assertTrue(DatabaseUnavailable.of(new VertxException("something else")).isEmpty());
    assertTrue(DatabaseUnavailable.of(new IllegalStateException("a bug")).isEmpty());
  }
}
