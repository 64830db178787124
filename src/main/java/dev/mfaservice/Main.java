package dev.mfaservice;

import dev.mfaservice.app.Config;
import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.app.Lifecycle;
import dev.mfaservice.app.StartupException;
import dev.mfaservice.app.StopSignals;
import dev.mfaservice.auth.DevIssuer;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point. {@code java -jar mfa-service.jar} serves; {@code ... token --user U --org O --role R}
 * prints a token of the dev issuer. A setting or start-up problem ends in one line on stderr.
 */
public final class Main {
  private static final String USAGE = """
    usage: java -jar mfa-service.jar                       start the service (settings: conf/ and MFA_* variables)
           java -jar mfa-service.jar token --user <userId> --org <orgId> [--role <ROLE>]... [--ttl <seconds>]
                                                            print an access token of the dev issuer""";

  private Main() {
  }

  public static void main(String[] args) {
    try {
      if (args.length == 0 || args[0].equals("serve")) {
        serve();
      } else if (args[0].equals("token")) {
        System.out.println(token(args));
      } else {
        System.err.println(USAGE);
        System.exit(64);
      }
    } catch (ConfigException | StartupException | IllegalArgumentException e) {
      System.err.println("mfa-service: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * The one shutdown hook is in place before anything starts, so a stop while starting also ends
   * in order; it stops the service and returns, and the JVM exits (143 after SIGTERM).
   */
  private static void serve() {
    Config config = Config.fromEnvironment();
    StopSignals signals = StopSignals.watch();
    Lifecycle service = new Lifecycle(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> service.stop(signals.reason()), "mfa-shutdown"));
    service.start(Clock.systemUTC(), new SecureRandom());
  }

  private static String token(String[] args) {
    String user = null;
    String org = null;
    long ttl = 12 * 3600;
    List<String> roles = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw new IllegalArgumentException(args[i] + " needs a value\n" + USAGE);
      }
      switch (args[i++]) {
        case "--user" -> user = value;
        case "--org" -> org = value;
        case "--role" -> roles.add(value);
        case "--ttl" -> ttl = Long.parseLong(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i - 1] + "\n" + USAGE);
      }
    }
    if (user == null || org == null) {
      throw new IllegalArgumentException("token needs --user and --org\n" + USAGE);
    }
    Config config = Config.fromEnvironment();
    if (!config.auth().devIssuer()) {
      throw new IllegalArgumentException("the dev issuer is off (MFA_AUTH_ISSUER is set or MFA_AUTH_DEV_ISSUER=false)");
    }
    DevIssuer issuer = DevIssuer.loadOrCreate(config.dataDir(), new SecureRandom());
    Vertx vertx = Vertx.vertx();
    try {
      return issuer.mint(vertx, config.auth(), user, org, roles, ttl);
    } finally {
      vertx.close();
    }
  }
}
