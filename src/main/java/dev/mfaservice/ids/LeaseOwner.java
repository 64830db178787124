package dev.mfaservice.ids;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** Who holds a lease: a random id made at start-up, and the host and pid an operator can look for. */
record LeaseOwner(String id, String host, long pid) {

  static LeaseOwner ofThisProcess() {
    return new LeaseOwner(UUID.randomUUID().toString(), hostName(), ProcessHandle.current().pid());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown");
    }
  }
}
