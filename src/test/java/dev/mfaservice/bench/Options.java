package dev.mfaservice.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line. Run from the test class path ({@code dev.mfaservice.bench.LoadClient}):
 * <pre>
 *   LoadClient &lt;url&gt; &lt;token&gt; &lt;users-file&gt; &lt;seconds&gt; &lt;connections&gt; &lt;scenario…&gt;
 *   LoadClient seed-totp &lt;master-key&gt; &lt;users-file&gt;     # CSV of sealed TOTP secrets ({@link SeedTotp})
 *   LoadClient &lt;url&gt; &lt;token&gt; &lt;users-file&gt; &lt;seconds&gt; &lt;connections&gt; enrol-webauthn   # the keys file, to stdout
 *   LoadClient &lt;url&gt; &lt;token&gt; &lt;identities-file&gt; &lt;seconds&gt; &lt;connections&gt; enrol-verify-totp   # the factors file
 * </pre>
 * Scenarios: {@link Scenarios}. Blank lines of the users file are skipped; for sign-in-webauthn it is the keys file
 * enrol-webauthn wrote, for verify-totp-challenge the factors file enrol-verify-totp wrote. {@code -Drate=N} drives a
 * fixed rate instead of the closed loop ({@link OpenLoop}), with {@code -Dwarmup=S} seconds of it unmeasured first
 * ({@link Driver#measure}); {@code -Drequests=N} stops after N requests (the
 * statement-count sample).
 */
record Options(String url, String token, List<String> users, int seconds, int connections, List<String> scenarios,
               double rate, int warmupSeconds, long maxRequests) {

  static Options parse(String[] args) throws IOException {
    List<String> users = Files.readAllLines(Path.of(args[2])).stream().filter(s -> !s.isBlank()).toList();
    return new Options(args[0], args[1], users, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
      List.of(args).subList(5, args.length), Double.parseDouble(System.getProperty("rate", "0")),
      Integer.getInteger("warmup", 0), Long.getLong("requests", 0));
  }

  /** The user for the n-th request, round the file. */
  String user(long n) {
    return users.get((int) (n % users.size()));
  }

  /** The origin the software authenticator puts in its client data: a page on http://localhost at the service's port. */
  String origin() {
    return "http://localhost:" + URI.create(url).getPort();
  }
}
