package io.sangdam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies proxies = TrustedProxies.parse("http.trustedProxies", "127.0.0.1, 10.0.0.0/8,fd00::/8");

  private static InetAddress ip(String literal) {
    return TrustedProxies.literal(literal).orElseThrow();
  }

  @Test
  void addressesAndRangesAreTrusted() {
    assertTrue(proxies.trusts(ip("127.0.0.1")));
    assertFalse(proxies.trusts(ip("127.0.0.2")));
    assertTrue(proxies.trusts(ip("10.255.1.2")));
    assertFalse(proxies.trusts(ip("11.0.0.1")));
    assertTrue(proxies.trusts(ip("fd12:3456::1")));
    assertFalse(proxies.trusts(ip("fe80::1")));
    assertTrue(TrustedProxies.parse("k", "192.168.1.128/25").trusts(ip("192.168.1.200")));
    assertFalse(TrustedProxies.parse("k", "192.168.1.128/25").trusts(ip("192.168.1.100")));
  }

  @Test
  void theClientIsTheRightMostForwardedAddressThatIsNoTrustedProxy() {
    assertEquals("203.0.113.9", proxies.clientAddress(ip("127.0.0.1"), List.of("203.0.113.9")));
    assertEquals("203.0.113.9", proxies.clientAddress(ip("127.0.0.1"), List.of("6.6.6.6, 203.0.113.9, 10.0.0.5")),
        "what the client wrote itself, left of what the proxies added, is ignored");
    assertEquals("203.0.113.9", proxies.clientAddress(ip("127.0.0.1"), List.of("6.6.6.6", "203.0.113.9")),
        "every value of the header counts, in order");
    assertEquals("127.0.0.1", proxies.clientAddress(ip("127.0.0.1"), List.of()));
    assertEquals("10.0.0.5", proxies.clientAddress(ip("127.0.0.1"), List.of("evil.example, 10.0.0.5")),
        "an entry that is no address ends the walk at the last proxy");
    assertEquals("203.0.113.1", proxies.clientAddress(ip("203.0.113.1"), List.of("1.2.3.4")),
        "a peer that is no trusted proxy is the client, whatever it says");
    assertEquals("127.0.0.1", TrustedProxies.none().clientAddress(ip("127.0.0.1"), List.of("1.2.3.4")));
  }

  @Test
  void anythingButAddressesAndRangesStopsTheStart() {
    for (String bad : List.of("localhost", "10.0.0.0/33", "300.1.1.1", "10.0.0.0/", "::1/129", "10.0.0.0/x")) {
      assertEquals("http.trustedProxies must list IP addresses or CIDR ranges such as 10.0.0.0/8, got '" + bad + "'",
          assertThrows(ConfigException.class, () -> TrustedProxies.parse("http.trustedProxies", "127.0.0.1," + bad))
              .getMessage());
    }
    assertFalse(TrustedProxies.parse("k", " ").trusts(ip("127.0.0.1")));
  }
}
