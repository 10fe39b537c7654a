package io.sangdam.transport;

import io.netty.channel.Channel;
import io.sangdam.config.TrustedProxies;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the port's open connections, in all and per client address, and lets a new one in only
 * under both limits; a connection is counted until it closes. The address is the TCP peer's: a
 * trusted reverse proxy ({@code http.trustedProxies}) carries many clients and counts only towards
 * the global limit, since no header has been read yet to tell its clients apart. IPv6 peers are counted per /64, the block one subscriber usually
 * holds, so a client cannot step around the limit by changing its address's last bits. The
 * table holds only addresses with a connection open: it never outgrows the global limit.
 */
final class ConnectionLimits {
  /** Whether a new connection is let in, and if not, which limit it is over. */
  enum Admission { ADMITTED, SERVER_FULL, ADDRESS_FULL }

  private final int max;
  private final int maxPerAddress;
  private final TrustedProxies trustedProxies;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

  ConnectionLimits(int max, int maxPerAddress, TrustedProxies trustedProxies) {
    this.max = max;
    this.maxPerAddress = maxPerAddress;
    this.trustedProxies = trustedProxies;
  }

  int max() {
    return max;
  }

  /** Counts {@code connection} until it closes, if both limits allow it. */
  Admission admit(Channel connection) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return Admission.SERVER_FULL;
    }
    InetAddress address = fromTrustedProxy(connection.remoteAddress()) ? null : counted(connection.remoteAddress());
    if (address != null) {
      boolean[] over = new boolean[1];
      perAddress.compute(address, (a, n) -> {
        int count = n == null ? 0 : n;
        over[0] = count >= maxPerAddress;
        return over[0] ? n : Integer.valueOf(count + 1);
      });
      if (over[0]) {
        open.decrementAndGet();
        return Admission.ADDRESS_FULL;
      }
    }
    connection.closeFuture().addListener(f -> release(address));
    return Admission.ADMITTED;
  }

  private void release(InetAddress address) {
    if (address != null) {
      perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }
    open.decrementAndGet();
  }

  private boolean fromTrustedProxy(SocketAddress peer) {
    return peer instanceof InetSocketAddress inet && inet.getAddress() != null && trustedProxies.trusts(inet.getAddress());
  }

  /** The address a peer is counted under: itself, or an IPv6 address's /64. */
  static InetAddress counted(SocketAddress peer) {
    if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return null;
    }
    InetAddress address = inet.getAddress();
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(prefix, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(prefix);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }
}
