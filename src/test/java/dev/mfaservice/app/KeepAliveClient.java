package dev.mfaservice.app;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection, read byte by byte so that it can tell what a client saw: a
 * complete response, a request refused or dropped before any byte of a response, a response cut
 * after it began, or no answer at all. Reconnects after a {@code Connection: close} or a refusal.
 */
final class KeepAliveClient implements Closeable {
  enum Outcome { COMPLETE, REFUSED, CUT, UNANSWERED }

  record Result(Outcome outcome, int status, boolean connectionClose, String body) {
    static Result of(Outcome outcome) {
      return new Result(outcome, 0, false, "");
    }
  }

  private static final int READ_TIMEOUT_MILLIS = 30_000;
  private final int port;
  private Socket socket;
  private InputStream in;
  private long received;

  KeepAliveClient(int port) {
    this.port = port;
  }

  /** False when nothing listens any more. */
  boolean connectable() {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  Result post(String path, String token, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
      + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
    received = 0;
    try {
      if (socket == null) {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
      }
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      Result result = read(in);
      if (result.connectionClose()) {
        close();
      }
      return result;
    } catch (SocketTimeoutException e) {
      close();
      return Result.of(received == 0 ? Outcome.UNANSWERED : Outcome.CUT);
    } catch (IOException e) {
      close();
      return Result.of(received == 0 ? Outcome.REFUSED : Outcome.CUT);
    }
  }

  private Result read(InputStream in) throws IOException {
    String head = new String(until(in, "\r\n\r\n"), StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(head.substring(9, 12));
    long length = -1;
    boolean close = false;
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("connection:")) {
        close = lower.contains("close");
      } else if (lower.startsWith("transfer-encoding:")) {
        throw new IllegalStateException("this client reads Content-Length bodies only: " + head);
      }
    }
    if (length < 0) {
      throw new IllegalStateException("no Content-Length: " + head);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (long i = 0; i < length; i++) {
      body.write(next(in));
    }
    return new Result(Outcome.COMPLETE, status, close, body.toString(StandardCharsets.UTF_8));
  }

  private byte[] until(InputStream in, String end) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] marker = end.getBytes(StandardCharsets.US_ASCII);
    int matched = 0;
    while (matched < marker.length) {
      int b = next(in);
      seen.write(b);
      matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
    }
    return seen.toByteArray();
  }

  private int next(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("end of stream after " + received + " byte(s)");
    }
    received++;
    return b;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
