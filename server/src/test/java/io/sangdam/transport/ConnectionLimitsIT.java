package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections over a limit are answered 503 the moment they open and closed. Each loopback
 * address (127.0.0.0/8) is a client address of its own here.
 */
class ConnectionLimitsIT {
  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("http.maxConnectionsPerAddress", "3")
      .with("http.maxConnections", "6");

  @Test
  void perAddressThenInAllAConnectionOverTheLimitIsRefusedAtOnceAndAFreedPlaceIsTakenAgain() throws IOException {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(served("127.0.0.2"));
      }
      try (RawHttp fourth = RawHttp.connectFrom("127.0.0.2", server.port())) {
        RawHttp.Answer refused = fourth.read();
        assertEquals(503, refused.status());
        assertEquals(String.valueOf(ConnectionRefusal.RETRY_AFTER_SECONDS), refused.header("Retry-After"));
        assertTrue(refused.body().contains("\"unavailable\"") && refused.body().contains("your address"),
            refused.body());
        assertTrue(fourth.closedWithin(5_000));
      }
      for (int i = 0; i < 3; i++) {
        held.add(served("127.0.0.3"));
      }
      try (RawHttp seventh = RawHttp.connectFrom("127.0.0.4", server.port())) {
        RawHttp.Answer refused = seventh.read();
        assertEquals(503, refused.status());
        assertTrue(refused.body().contains("too many connections; try again"), refused.body());
        assertTrue(seventh.closedWithin(5_000));
      }
      held.remove(0).close();
      assertTrue(admittedWithin("127.0.0.2", 5_000), "a closed connection frees its place");
    } finally {
      for (RawHttp c : held) {
        c.close();
      }
    }
  }

  /**
   * A refused client that sends its request before reading is not reset: the server reads and drops
   * the request before it closes. A socket closed with its client's bytes unread is reset by the
   * kernel, and a reset may discard the 503 on its way or unread (a Windows client loses it).
   */
  @Test
  void aRefusedClientThatSendsItsRequestFirstIsNotResetAndReadsThe503() throws IOException {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(served("127.0.0.5"));
      }
      try (RawHttp refused = RawHttp.connectFrom("127.0.0.5", server.port())) {
        byte[] chunk = new byte[64 * 1024];
        int chunks = 128;
        IOException reset = null;
        try {
          refused.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: " + chunk.length * chunks + "\r\n\r\n");
          for (int i = 0; i < chunks; i++) {
            refused.socket.getOutputStream().write(chunk);
          }
        } catch (IOException e) {
          reset = e;
        }
        assertNull(reset, "the refused connection was reset while its request was sent: " + reset);
        assertEquals(503, refused.read().status());
        assertEquals(-1, refused.socket.getInputStream().read(), "then an orderly end, not a reset");
      }
    } finally {
      for (RawHttp c : held) {
        c.close();
      }
    }
  }

  /** A connection from {@code address} that has been answered, so the server surely counts it. */
  private static RawHttp served(String address) throws IOException {
    RawHttp client = RawHttp.connectFrom(address, server.port());
    assertEquals(200, client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
    return client;
  }

  /** The server counts a closed connection out once it has seen the close: tries until it has, or time is up. */
  private static boolean admittedWithin(String address, long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      try (RawHttp client = RawHttp.connectFrom(address, server.port())) {
        if (client.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().status() == 200) {
          return true;
        }
      }
    }
    return false;
  }
}
