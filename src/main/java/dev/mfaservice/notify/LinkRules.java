package dev.mfaservice.notify;

import java.util.Set;

/**
 * Where a urlTemplate link may lead (SEC B6): https only (http too on a development instance), and
 * only to the hosts the instance lists; with none listed, any host on a development instance and
 * none on a production one. A genuine message must not carry its code to a host an attacker picked.
 */
public record LinkRules(boolean development, Set<String> hosts) {

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
