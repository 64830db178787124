package dev.mfaservice.app;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay in front of the test's SMTP server that holds each of the server's replies for a
 * while, as a distant mail relay would: a send then takes long enough that a stop finds sends in
 * flight. Plain daemon threads, so that it starts no Vert.x threads of its own.
 */
final class SlowSmtp implements Closeable {
  private final ServerSocket listener;
  private final int target;
  private final long delayMillis;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "slow-smtp");
    t.setDaemon(true);
    return t;
  });

  private SlowSmtp(ServerSocket listener, int target, long delayMillis) {
    this.listener = listener;
    this.target = target;
    this.delayMillis = delayMillis;
  }

  static SlowSmtp start(int targetPort, long delayMillis) throws IOException {
    SlowSmtp relay = new SlowSmtp(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort, delayMillis);
    relay.threads.submit(relay::accept);
    return relay;
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        threads.submit(() -> pump(client, server, 0));
        threads.submit(() -> pump(server, client, delayMillis));
      } catch (IOException e) {
        // closed, or the SMTP server is gone: the client sees its connection fail
      }
    }
  }

  private static void pump(Socket from, Socket to, long delayMillis) {
    byte[] buffer = new byte[8192];
    try (from; to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        Thread.sleep(delayMillis);
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed: both are closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    threads.shutdownNow();
  }
}
