package dev.mfaservice.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.parsetools.RecordParser;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that speaks TLS with a certificate of a chosen host name: implicit TLS or
 * STARTTLS, then just enough SMTP to take one message. It counts the TLS sessions in which a client
 * went on talking (EHLO after the handshake) and the messages it took.
 */
public final class TlsSmtpSink implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final SelfSignedCertificate certificate;
  private final boolean implicitTls;
  private final NetServer server;
  public final AtomicInteger secureSessions = new AtomicInteger();
  public final AtomicInteger messages = new AtomicInteger();

  private TlsSmtpSink(String certificateHost, boolean implicitTls) {
    this.certificate = SelfSignedCertificate.create(certificateHost);
    this.implicitTls = implicitTls;
    NetServerOptions options = new NetServerOptions().setHost("127.0.0.1").setPort(0)
      .setKeyCertOptions(certificate.keyCertOptions()).setSsl(implicitTls);
    this.server = vertx.createNetServer(options).connectHandler(this::greet);
    server.listen().await();
  }

  /** @param certificateHost the name the certificate is for; {@code implicitTls} false = STARTTLS */
  public static TlsSmtpSink start(String certificateHost, boolean implicitTls) {
    return new TlsSmtpSink(certificateHost, implicitTls);
  }

  /** The settings of a service that sends here, trusting this sink's certificate, as host {@code localhost}. */
  public Map<String, String> env() {
    return Map.of("MFA_SMTP_HOST", "localhost", "MFA_SMTP_PORT", Integer.toString(server.actualPort()),
      "MFA_SMTP_TLS", implicitTls ? "tls" : "starttls", "MFA_SMTP_CA_FILE", certificate.certificatePath());
  }

  private void greet(NetSocket socket) {
    boolean[] secure = {implicitTls};
    boolean[] data = {false};
    socket.handler(RecordParser.newDelimited("\r\n", line -> answer(socket, line.toString(), secure, data)));
    socket.write("220 sink ESMTP\r\n");
  }

  private void answer(NetSocket socket, String line, boolean[] secure, boolean[] data) {
    if (data[0]) {
      if (line.equals(".")) {
        data[0] = false;
        messages.incrementAndGet();
        socket.write("250 taken\r\n");
      }
      return;
    }
    String verb = line.length() < 4 ? line.toUpperCase() : line.substring(0, 4).toUpperCase();
    switch (verb) {
      case "EHLO" -> {
        if (secure[0]) {
          secureSessions.incrementAndGet();
        }
        socket.write(secure[0] ? "250 sink\r\n" : "250-sink\r\n250 STARTTLS\r\n");
      }
      case "STAR" -> {
        // the answer and the switch to TLS in one step: the client's ClientHello must not reach the line parser
        socket.upgradeToSsl(Buffer.buffer("220 go ahead\r\n")).onSuccess(done -> secure[0] = true);
      }
      case "DATA" -> {
        data[0] = true;
        socket.write("354 go on\r\n");
      }
      case "QUIT" -> socket.write("221 bye\r\n").onComplete(v -> socket.close());
      default -> socket.write(Buffer.buffer("250 ok\r\n"));
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
