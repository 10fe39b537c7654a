package io.sangdam.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed ({@code http.trustedProxies}):
 * addresses and CIDR ranges. A client can write anything into that header, so it only counts when
 * the connection comes from one of these, and then only the part the proxies themselves appended.
 */
public final class TrustedProxies {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private record Range(byte[] network, int prefix) {
    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      return rest == 0 || ((a[whole] ^ network[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** No proxy is trusted: the client is always the TCP peer. */
  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /** A comma-separated list such as {@code 127.0.0.1, 10.0.0.0/8, fd00::/8}; an empty one trusts nobody. */
  public static TrustedProxies parse(String key, String value) {
    List<Range> ranges = new ArrayList<>();
    for (String part : value.split(",")) {
      String entry = part.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int slash = entry.indexOf('/');
      Optional<InetAddress> address = literal(slash < 0 ? entry : entry.substring(0, slash));
      int bits = address.map(a -> a.getAddress().length * 8).orElse(0);
      int prefix = bits;
      if (slash >= 0) {
        String length = entry.substring(slash + 1);
        prefix = length.matches("\\d{1,3}") ? Integer.parseInt(length) : -1;
      }
      if (address.isEmpty() || prefix < 0 || prefix > bits) {
        throw new ConfigException(key + " must list IP addresses or CIDR ranges such as 10.0.0.0/8, got '" + entry
            + "'");
      }
      ranges.add(new Range(address.get().getAddress(), prefix));
    }
    return new TrustedProxies(ranges);
  }

  public boolean trusts(InetAddress address) {
    return ranges.stream().anyMatch(r -> r.contains(address));
  }

  /**
   * The client's address: the TCP peer; or, when the peer is a trusted proxy, the right-most
   * {@code X-Forwarded-For} address that is not itself a trusted proxy. Every value of the header
   * counts, in order. An entry that is no address ends the walk at the last proxy seen.
   */
  public String clientAddress(InetAddress peer, List<String> forwardedFor) {
    InetAddress client = peer;
    if (trusts(peer)) {
      List<String> hops = new ArrayList<>();
      forwardedFor.forEach(header -> hops.addAll(List.of(header.split(","))));
      for (int i = hops.size() - 1; i >= 0 && trusts(client); i--) {
        Optional<InetAddress> hop = literal(hops.get(i).trim());
        if (hop.isEmpty()) {
          break;
        }
        client = hop.get();
      }
    }
    return client.getHostAddress();
  }

  /** An IP address written as one; never a host name, so that nothing here asks the DNS. */
  static Optional<InetAddress> literal(String text) {
    boolean v4 = IPV4.matcher(text).matches();
    if (v4 ? Stream.of(text.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)
        : !IPV6.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
