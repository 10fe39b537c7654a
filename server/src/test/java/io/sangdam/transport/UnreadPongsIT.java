package io.sangdam.transport;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Memory;
import io.sangdam.testing.RawWebSocket;
import io.sangdam.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that pings and never reads, on a server of its own: the memory measured (the server runs in this JVM,
 * heap and direct memory after GC) is then none of the closing connections of other tests, which swung the
 * measure by up to 8 MiB either way in SlowClientIT.
 */
class UnreadPongsIT {
  private static final long MIB = 1024 * 1024;

  @RegisterExtension
  static final TestServer server = new TestServer()
      // The flood limit is not what is tested here: 90,000 pings within the burst.
      .with("limits.wsMessagesPerSecond", "10000")
      .with("limits.wsBurst", "100000")
      .with("limits.wsOutboundBytes", String.valueOf(MIB));

  /** Customer sessions open on the server, from its metrics. */
  private static double customerSessions() {
    String page = new String(server.http().download("/metrics", null).body(), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?m)^sangdam_sessions\\{kind=\"customer\"\\} (\\S+)$").matcher(page);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  /**
   * Pongs are output too: a client that pings and never reads piles them up in Netty's buffer,
   * which no message of the session's goes through; they count against the same budget, and once
   * its connection is closing its pings are no longer answered.
   */
  @Test
  void aClientThatPingsAndNeverReadsIsClosedWith4008() {
    TestServer.Setup s = server.setUp();
    // A first flood, gone before the one measured: it grows the server's buffer pools (Netty's allocator keeps
    // its chunks, about 11 MB of them), which is no memory a connection holds.
    try (RawWebSocket warmUp = RawWebSocket.connect(server.port(), "/ws/customer", 4096)) {
      warmUp.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center())).until("welcome");
      pingWithoutReading(warmUp);
    }
    eventually("the warm-up's session gone", () -> customerSessions() == 0);
    try (RawWebSocket client = RawWebSocket.connect(server.port(), "/ws/customer", 4096)) {
      client.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center())).until("welcome");
      long before = Memory.usedAfterGc();
      int sent = pingWithoutReading(client);
      // The session ends as the server decides to close, before the client reads a byte: reading
      // first would drain the pongs, and a client that reads is rightly not closed.
      eventually("the session of the client that never reads closed", UnreadPongsIT::customerSessions, n -> n == 0,
          Duration.ofSeconds(20));
      long grown = Memory.usedAfterGc() - before;
      System.out.printf("pings never read: %d pings sent, memory grew %.1f MiB%n", sent, grown / (double) MIB);
      Map<String, Integer> seen = new HashMap<>();
      assertEquals(4008, client.closeCode(seen), "closed as too slow");
      // Its 1 MiB budget and Netty's buffers, in a measure that swings by 6 MiB either way (-5.6 to 6.3 MiB in
      // runs alone). Before the pongs counted: no close, and 22 MiB held for them. That its pings go unanswered
      // once it is closing (up to 10 MiB of pongs before) is FloodGateTest's, which this measure cannot tell.
      assertTrue(grown < 16 * MIB, "memory grew " + grown / MIB + " MiB");
    }
  }

  /** 90,000 pings of 125 bytes (within this server's raised flood limit), about 11 MB of pongs: how many went. */
  private static int pingWithoutReading(RawWebSocket client) {
    byte[] payload = new byte[125];
    int sent = 0;
    while (sent < 90_000 && client.trySend(RawWebSocket.PING, true, payload)) {
      sent++;
    }
    return sent;
  }
}
