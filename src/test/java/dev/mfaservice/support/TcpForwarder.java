package dev.mfaservice.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP port on 127.0.0.1 that passes every connection on to another address: a database that comes up late. */
public final class TcpForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private TcpForwarder(ServerSocket server, String host, int port) {
    this.server = server;
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket in = server.accept();
          Socket out = new Socket(host, port);
          sockets.add(in);
          sockets.add(out);
          pump(in, out);
          pump(out, in);
        } catch (IOException e) {
          // closed, or the target refused: the client sees its connection end
        }
      }
    }, "forward-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** Listens on {@code listenPort} of 127.0.0.1 (taken now, so call it when the port should start answering). */
  public static TcpForwarder open(int listenPort, String host, int port) {
    try {
      return new TcpForwarder(new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress()), host, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // one side closed
      } finally {
        try {
          to.close();
          from.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }, "forward-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
