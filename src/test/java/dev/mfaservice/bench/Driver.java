package dev.mfaservice.bench;

import io.vertx.core.Future;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Runs a scenario's requests on the engine the options ask for and reports them. Set-up work runs silent: closed
 * loop, as fast as it goes, neither "#start" nor a report.
 */
final class Driver {
  private final Options options;
  private final Api api;
  private final Report report;
  private final ClosedLoop closedLoop;
  private final OpenLoop openLoop;
  private boolean silent;
  private SmsSink smsSink;

  Driver(Options options, Api api) {
    this.options = options;
    this.api = api;
    this.report = new Report(options.connections(), options.rate());
    this.closedLoop = new ClosedLoop(api.vertx(), options.connections(), options.maxRequests());
    this.openLoop = new OpenLoop(api.vertx(), options.rate(), options.maxRequests());
  }

  Options options() {
    return options;
  }

  Api api() {
    return api;
  }

  /** The SMS sink, started on first use on -Dsms.sink.port (the port of the service's MFA_TWILIO_API_URL). */
  SmsSink smsSink() {
    if (smsSink == null) {
      int port = Integer.getInteger("sms.sink.port", 0);
      if (port == 0) {
        throw new IllegalStateException("scenarios that send SMS need -Dsms.sink.port (the service's MFA_TWILIO_API_URL port)");
      }
      smsSink = new SmsSink(api.vertx(), port);
    }
    return smsSink;
  }

  boolean silent() {
    return silent;
  }

  /**
   * The closed loop, or the fixed rate with -Drate (unless silent). At a fixed rate, -Dwarmup=S first runs the same
   * requests at the same rate for S seconds unmeasured: the client's own compiler works on its open loop's path then,
   * not in the measured seconds, where on a shared machine it would take the CPU the service and database need.
   */
  Result measure(Request request, int seconds) throws InterruptedException {
    Runnable onStart = silent ? () -> { } : report::started;
    if (options.rate() > 0 && !silent) {
      if (options.warmupSeconds() > 0) {
        openLoop.run(request, options.warmupSeconds(), () -> { });
      }
      return openLoop.run(request, seconds, onStart);
    }
    return closedLoop.run(request, seconds, onStart);
  }

  /** Measures for the set seconds and reports under {@code scenario}. */
  void measured(String scenario, Request request) throws InterruptedException {
    report(scenario, measure(request, options.seconds()));
  }

  void report(String scenario, Result result) {
    if (!silent) {
      report.print(scenario, result);
    }
  }

  /** Runs {@code step} silent, then back as before. */
  void silently(Step step) throws Exception {
    boolean was = silent;
    silent = true;
    try {
      step.run();
    } finally {
      silent = was;
    }
  }

  /**
   * A run that only sets up ({@code enrol-…}), silent: {@code enrol} on each user of the file, as fast as it goes; the
   * line each one gave to standard output, or an exception when any failed.
   */
  void enrolEach(String command, Function<String, Future<String>> enrol) throws InterruptedException {
    silence();
    List<String> users = options.users();
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    // a long time: it stops when the users run out
    Result r = measure(n -> n >= users.size() ? Request.outOfUsers() : enrol.apply(users.get((int) n)).map(line -> {
      lines.add(line);
      return line;
    }), 3600);
    if (r.errors() > 0 || lines.size() != users.size()) {
      throw new IllegalStateException(command + ": " + r.errors() + " errors, " + lines.size() + " of " + users.size()
        + " enrolled");
    }
    lines.forEach(System.out::println);
    System.out.flush();
  }

  /** Silent from now on (a run that only sets up). */
  void silence() {
    silent = true;
  }

  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }
}
