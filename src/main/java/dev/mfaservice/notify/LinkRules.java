package dev.mfaservice.notify;

import dev.mfaservice.settings.ConfigException;
import dev.mfaservice.settings.Settings;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a urlTemplate link may lead (SEC B6): https only (http too on a development instance), and
 * only to the hosts the instance lists; with none listed, any host on a development instance and
 * none on a production one. A genuine message must not carry its code to a host an attacker picked.
 */
public record LinkRules(boolean development, Set<String> hosts) {

  /** The hosts of {@code notify.url-hosts}: exact host names, lower case. */
  public static Set<String> hosts(Settings s) {
    Set<String> hosts = new TreeSet<>();
    for (String host : s.list("notify.url-hosts")) {
      String h = host.toLowerCase(Locale.ROOT);
      if (!h.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
        throw new ConfigException("MFA_NOTIFY_URL_HOSTS: '" + host + "' is not a host name (exact names, no scheme, port or *)");
      }
      hosts.add(h);
    }
    return hosts;
  }

  boolean schemeAllowed(String scheme) {
    return "https".equals(scheme) || (development && "http".equals(scheme));
  }

  /** Null when the host may be linked to, else what is wrong. */
  String refusal(String host) {
    if (hosts.isEmpty()) {
      return development ? null : "no link hosts are allowed on this instance (MFA_NOTIFY_URL_HOSTS is empty)";
    }
    return hosts.contains(host.toLowerCase(java.util.Locale.ROOT)) ? null
      : "the host '" + host + "' is not one of the allowed link hosts " + hosts;
  }
}
