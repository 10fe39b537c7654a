package io.sangdam.presence;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.RawWebSocket;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The flood limit counts every frame a client sends, not only whole text messages; and what it
 * admitted before the limit tripped is answered before the 1008 close.
 */
class FloodLimitIT {
  private static final int BURST = 20;

  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("limits.wsMessagesPerSecond", "5")
      .with("limits.wsBurst", String.valueOf(BURST));

  private static RawWebSocket customerSocket() {
    return RawWebSocket.connect(server.port(), "/ws/customer", 64 * 1024);
  }

  @Test
  void pingsCountTowardTheLimit() {
    try (RawWebSocket ws = customerSocket()) {
      for (int i = 0; i < 4 * BURST && ws.trySend(RawWebSocket.PING, true, new byte[] {1}); i++) {
        continue;
      }
      assertEquals(1008, ws.closeCode(null));
    }
  }

  @Test
  void emptyFragmentsAndContinuationsCountTowardTheLimit() {
    try (RawWebSocket ws = customerSocket()) {
      ws.frame(RawWebSocket.TEXT, false, new byte[0]);
      for (int i = 0; i < 4 * BURST && ws.trySend(RawWebSocket.CONTINUATION, false, new byte[0]); i++) {
        continue;
      }
      assertEquals(1008, ws.closeCode(null));
    }
  }

  @Test
  void pongsCountTowardTheLimit() {
    try (RawWebSocket ws = customerSocket()) {
      for (int i = 0; i < 4 * BURST && ws.trySend(0xA, true, new byte[0]); i++) {
        continue;
      }
      assertEquals(1008, ws.closeCode(null));
    }
  }

  /**
   * Messages sent back to back past the limit: every one that was stored was acknowledged before
   * the close, so the client knows exactly what to send again.
   */
  @Test
  void everyAdmittedMessageIsAcknowledgedBeforeTheClose() {
    TestServer.Setup s = server.setUp();
    String visitor;
    long conversation;
    Map<String, Integer> seen = new HashMap<>();
    int code;
    try (RawWebSocket ws = customerSocket()) {
      visitor = ws.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center())).until("welcome")
          .path("visitor").asText();
      conversation = ws.sendText(of("type", "start", "queue", s.queue())).until("started").path("conversation")
          .path("id").asLong();
      for (int i = 0; i < 3 * BURST; i++) {
        if (!ws.trySend(RawWebSocket.TEXT, true, of("type", "send", "conversation", conversation, "cmid", "m" + i,
            "text", "message " + i).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
          break;
        }
      }
      code = ws.closeCode(seen);
    }
    assertEquals(1008, code);
    int acks = seen.getOrDefault("ack", 0);
    assertTrue(acks >= BURST - 3, "the burst was admitted and acknowledged, got " + seen);
    try (WsClient again = server.customer()) {
      again.send(of("type", "hello", "tenant", s.tenant(), "center", s.center(), "visitor", visitor)).next("welcome");
      JsonNode resumed = again.send(of("type", "resume", "conversation", conversation, "afterSeq", 0))
          .until("resumed");
      assertEquals(acks, resumed.path("lastSeq").asLong(), "every stored message was acknowledged, no more: " + seen);
    }
  }
}
