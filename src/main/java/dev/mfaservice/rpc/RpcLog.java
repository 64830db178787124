package dev.mfaservice.rpc;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log line of one RPC, beside REST's (logger {@code mfa.access}): protocol, procedure,
 * code, duration and a correlation id (a sane incoming {@code x-request-id}, else a new one).
 * Never metadata values or messages (SEC S4).
 */
final class RpcLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("mfa.access");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String PREFIX = "r" + Long.toHexString(new SecureRandom().nextLong() & 0xFFFFFFFFFFL);
  private static final AtomicLong COUNTER = new AtomicLong();
  private final String requestId;
  private final String protocol;
  private final String procedure;
  private final long start = System.nanoTime();

  private RpcLog(String requestId, String protocol, String procedure) {
    this.requestId = requestId;
    this.protocol = protocol;
    this.procedure = procedure;
  }

  static RpcLog start(String incomingId, String protocol, String procedure) {
    String id = incomingId != null && SANE_ID.matcher(incomingId).matches() ? incomingId
      : PREFIX + "-" + Long.toHexString(COUNTER.incrementAndGet());
    return new RpcLog(id, protocol, procedure);
  }

  String procedure() {
    return procedure;
  }

  String requestId() {
    return requestId;
  }

  void end(String code) {
    if (ACCESS.isInfoEnabled()) {
      ACCESS.atInfo().addKeyValue("protocol", protocol).addKeyValue("procedure", procedure)
        .addKeyValue("code", code).addKeyValue("ms", (System.nanoTime() - start) / 1_000_000)
        .addKeyValue("requestId", requestId).log("rpc");
    }
  }
}
