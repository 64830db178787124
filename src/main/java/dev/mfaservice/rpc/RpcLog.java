package dev.mfaservice.rpc;

import dev.mfaservice.http.RequestLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log line of one RPC, beside REST's (logger {@code mfa.access}): protocol, procedure,
 * code, duration and the correlation id REST gives a request ({@link RequestLog#requestId}).
 * Never metadata values or messages (SEC S4).
 */
final class RpcLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("mfa.access");
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
    return new RpcLog(RequestLog.requestId(incomingId), protocol, procedure);
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
