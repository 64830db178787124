package dev.mfaservice.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A load client over plain sockets, so that it can tell apart what happens to each request when
 * the service stops: a whole answer; a refused connection; a connection closed before any byte
 * of the answer (on a kept-alive connection the server closed as it went idle: the request was
 * never read, and RFC 9112 §9.3.1 lets a client retry it); or an answer cut after it began, which
 * must never happen. HTTP/1.1 keep-alive, a connection per worker, reconnecting after
 * {@code Connection: close}.
 */
public final class Load implements AutoCloseable {
  /**
   * {@code port}: the instance's port (0 = the one given to the constructor; a worker keeps to one);
   * {@code tag}: the caller's mark, e.g. an address.
   */
  public record Request(int port, String method, String path, String token, String body, String tag) {
    public Request(String method, String path, String token, String body, String tag) {
      this(0, method, path, token, body, tag);
    }
  }

  /** {@code at}: System.nanoTime() when the answer was whole; {@code retryAfter}: that header, or null. */
  public record Answer(Request request, int status, String body, long at, String retryAfter) {
  }

  private final String host;
  private final int port;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> workers = new ArrayList<>();
  public final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  public final AtomicInteger refused = new AtomicInteger();
  public final AtomicInteger closedBeforeAnswerOnReuse = new AtomicInteger();
  public final AtomicInteger closedBeforeAnswerOnFresh = new AtomicInteger();
  public final Queue<String> cut = new ConcurrentLinkedQueue<>();

  public Load(String host, int port, int workers, BiFunction<Integer, Integer, Request> requests) {
    this.host = host;
    this.port = port;
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread t = new Thread(() -> loop(worker, requests), "load-" + w);
      t.setDaemon(true);
      this.workers.add(t);
      t.start();
    }
  }

  private void loop(int worker, BiFunction<Integer, Integer, Request> requests) {
    Socket socket = null;
    boolean reused = false;
    for (int i = 0; running.get(); i++) {
      Request request = requests.apply(worker, i);
      try {
        if (socket == null) {
          socket = new Socket(host, request.port() == 0 ? port : request.port());
          socket.setSoTimeout(30_000);
          reused = false;
        }
      } catch (ConnectException e) {
        refused.incrementAndGet();
        pause();
        continue;
      } catch (IOException e) {
        refused.incrementAndGet();
        pause();
        continue;
      }
      int[] read = {0};
      try {
        write(socket.getOutputStream(), request);
        Answer answer = read(socket.getInputStream(), request, read);
        answers.add(answer);
        if (answer.status() < 0) {
          socket.close();
          socket = null;
        } else {
          reused = true;
        }
      } catch (java.net.SocketTimeoutException e) {
        cut.add(request.method() + " " + request.path() + ": no answer within 30 s (" + read[0] + " bytes)");
        closeQuietly(socket);
        socket = null;
      } catch (IOException e) {
        if (read[0] > 0) {
          cut.add(request.method() + " " + request.path() + " after " + read[0] + " bytes: " + e);
        } else if (reused) {
          closedBeforeAnswerOnReuse.incrementAndGet();
        } else {
          closedBeforeAnswerOnFresh.incrementAndGet();
        }
        closeQuietly(socket);
        socket = null;
      }
    }
    closeQuietly(socket);
  }

  private void write(OutputStream out, Request r) throws IOException {
    byte[] body = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
    String head = r.method() + " " + r.path() + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
      + (r.token() == null ? "" : "Authorization: Bearer " + r.token() + "\r\n")
      + (r.body() == null ? "" : "Content-Type: application/json\r\n")
      + "Content-Length: " + body.length + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  /** Reads one answer; a negative status marks "Connection: close" (the answer itself is whole). */
  private static Answer read(InputStream in, Request request, int[] read) throws IOException {
    String status = line(in, read);
    int contentLength = 0;
    boolean close = false;
    String retryAfter = null;
    for (String header = line(in, read); !header.isEmpty(); header = line(in, read)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        contentLength = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      } else if (lower.startsWith("retry-after:")) {
        retryAfter = header.substring(12).trim();
      } else if (lower.startsWith("transfer-encoding:")) {
        throw new IOException("chunked answers are not expected here: " + header);
      }
    }
    byte[] body = in.readNBytes(contentLength);
    read[0] += body.length;
    if (body.length < contentLength) {
      throw new IOException("body ended after " + body.length + " of " + contentLength + " bytes");
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    return new Answer(request, close ? -code : code, new String(body, StandardCharsets.UTF_8), System.nanoTime(), retryAfter);
  }

  private static String line(InputStream in, int[] read) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed" + (read[0] > 0 ? " mid-answer" : " before an answer"));
      }
      read[0]++;
      if (b != '\r') {
        line.write(b);
      }
    }
    read[0]++;
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }

  public static int status(Answer a) {
    return Math.abs(a.status());
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : workers) {
      t.join(60_000);
    }
  }
}
