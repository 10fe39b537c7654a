package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sangdam.config.TrustedProxies;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

/** How connections are counted, without a network. */
class ConnectionLimitsTest {
  @Test
  void anIpv6ClientIsCountedByItsSlash64AndAnIpv4ClientByItsAddress() {
    assertEquals(ConnectionLimits.counted(peer("2001:db8:1:2:aaaa::1")), ConnectionLimits.counted(peer("2001:db8:1:2::ffff")));
    assertNotEquals(ConnectionLimits.counted(peer("2001:db8:1:2::1")), ConnectionLimits.counted(peer("2001:db8:1:3::1")));
    assertNotEquals(ConnectionLimits.counted(peer("10.0.0.1")), ConnectionLimits.counted(peer("10.0.0.2")));
    assertNull(ConnectionLimits.counted(new EmbeddedChannel().remoteAddress()), "no address: counted in all only");
  }

  @Test
  void aClosedConnectionFreesItsPlaceInAllAndForItsAddress() {
    ConnectionLimits limits = new ConnectionLimits(2, 1, TrustedProxies.none());
    EmbeddedChannel first = new EmbeddedChannel();
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.admit(first));
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.admit(new EmbeddedChannel()));
    assertEquals(ConnectionLimits.Admission.SERVER_FULL, limits.admit(new EmbeddedChannel()));
    first.close();
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.admit(new EmbeddedChannel()));
  }

  @Test
  void aTrustedProxyCountsOnlyTowardsTheGlobalLimit() {
    ConnectionLimits limits = new ConnectionLimits(3, 1, TrustedProxies.parse("http.trustedProxies", "10.0.0.0/8"));
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.admit(from("10.0.0.5")));
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.admit(from("10.0.0.5")), "the proxy carries many clients");
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.admit(from("192.0.2.7")));
    assertEquals(ConnectionLimits.Admission.SERVER_FULL, limits.admit(from("10.0.0.5")));
    ConnectionLimits untrusting = new ConnectionLimits(3, 1, TrustedProxies.none());
    assertEquals(ConnectionLimits.Admission.ADMITTED, untrusting.admit(from("10.0.0.5")));
    assertEquals(ConnectionLimits.Admission.ADDRESS_FULL, untrusting.admit(from("10.0.0.5")));
  }

  @Test
  void theGlobalLimitFitsTheOpenFileLimitLessATenth() {
    assertEquals(100_000, HttpServer.withinOpenFiles(100_000, 200_000));
    assertEquals(18_000, HttpServer.withinOpenFiles(100_000, 20_000));
    assertEquals(824, HttpServer.withinOpenFiles(100_000, 1_024), "at least 200 kept for the rest");
    assertEquals(100_000, HttpServer.withinOpenFiles(100_000, 0), "unknown: as configured");
  }

  /** A connection from {@code address}, without a network. */
  private static EmbeddedChannel from(String address) {
    return new EmbeddedChannel() {
      @Override
      protected SocketAddress remoteAddress0() {
        return peer(address);
      }
    };
  }

  private static SocketAddress peer(String address) {
    return new InetSocketAddress(address, 40_000);
  }
}
