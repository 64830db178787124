package dev.mfaservice.app;

import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Which signal began the JVM's shutdown (SIGTERM from {@code docker stop}, SIGINT from Ctrl-C), for
 * the stop's log line. It only looks: each signal is handed on to the JVM's own handler, which runs
 * the shutdown hooks and exits with 128 + the signal's number (143 for SIGTERM). sun.misc.Signal is
 * in jdk.unsupported, which the image's trimmed runtime keeps (Dockerfile).
 */
public final class StopSignals {
  private final AtomicReference<String> received = new AtomicReference<>();

  private StopSignals() {
  }

  public static StopSignals watch() {
    StopSignals signals = new StopSignals();
    signals.watch("TERM");
    signals.watch("INT");
    return signals;
  }

  /** {@code SIGTERM}, {@code SIGINT}, or what else made the JVM exit. */
  public String reason() {
    String signal = received.get();
    return signal != null ? signal : "the JVM is exiting";
  }

  private void watch(String name) {
    AtomicReference<SignalHandler> jvms = new AtomicReference<>();
    try {
      jvms.set(Signal.handle(new Signal(name), signal -> {
        received.compareAndSet(null, "SIG" + signal.getName());
        handOn(jvms.get(), signal);
      }));
    } catch (IllegalArgumentException e) {
      // -Xrs, or a signal the OS keeps: the JVM's own handling stays, and the reason is less precise
    }
  }

  private static void handOn(SignalHandler jvms, Signal signal) {
    if (jvms == SignalHandler.SIG_IGN) {
      return;
    }
    if (jvms == null || jvms == SignalHandler.SIG_DFL) {
      System.exit(128 + signal.getNumber());
    }
    jvms.handle(signal);
  }
}
