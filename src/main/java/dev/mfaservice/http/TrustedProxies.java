package dev.mfaservice.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The end user's IP address as far as it is known (SEC X3): {@code X-Forwarded-For} is believed only when the
 * request came from a configured proxy, and then its rightmost address that is not itself a trusted proxy is the
 * end user's. A request from anywhere else names no end user (its sender may be an app server calling for many).
 */
public final class TrustedProxies {
  private record Range(byte[] network, int bits) {
  }

  private final List<Range> ranges = new ArrayList<>();

  /** @param proxies IPs or CIDRs, each checked by {@link #isAddressOrCidr} */
  public TrustedProxies(List<String> proxies) {
    for (String proxy : proxies) {
      String[] parts = proxy.split("/", 2);
      byte[] network = literal(parts[0]);
      ranges.add(new Range(network, parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8));
    }
  }

  public static boolean isAddressOrCidr(String value) {
    String[] parts = value.split("/", 2);
    byte[] address = literal(parts[0]);
    if (address == null) {
      return false;
    }
    if (parts.length == 1) {
      return true;
    }
    try {
      int bits = Integer.parseInt(parts[1]);
      return bits >= 0 && bits <= address.length * 8;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** As {@link #endUserIp(String, String)}, from the connection's peer. */
  public String endUserIp(io.vertx.core.net.SocketAddress remote, String forwardedFor) {
    return endUserIp(remote == null ? null : remote.hostAddress(), forwardedFor);
  }

  /** The end user's address, or null when unknown (no trusted proxy in front, or no usable header). */
  public String endUserIp(String remoteAddress, String forwardedFor) {
    if (ranges.isEmpty() || remoteAddress == null || forwardedFor == null || !trusted(literal(remoteAddress))) {
      return null;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      byte[] hop = literal(hops[i].trim());
      if (hop == null) {
        return null;
      }
      if (!trusted(hop)) {
        return canonical(hop);
      }
    }
    return null;
  }

  private boolean trusted(byte[] address) {
    return address != null && ranges.stream().anyMatch(r -> contains(r, address));
  }

  private static boolean contains(Range range, byte[] address) {
    if (range.network().length != address.length) {
      return false;
    }
    for (int bit = 0; bit < range.bits(); bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((range.network()[bit / 8] & mask) != (address[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of an IP literal, or null; never a name lookup (only dotted quads and colon forms get that far). */
  private static byte[] literal(String value) {
    if (value == null || value.length() > 45
      || !(value.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || value.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"))) {
      return null;
    }
    try {
      return InetAddress.getByName(value).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String canonical(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
