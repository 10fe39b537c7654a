package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server stopped (what its SIGTERM hook does; DistributionPackageIT sends a real SIGTERM)
 * while a customer is still sending: both clients are told 1001, and after a start on the same
 * embedded database every message that was acknowledged is there, with its seq and text.
 */
class GracefulShutdownIT {
  @RegisterExtension
  static final TestServer server = TestServer.embedded(Path.of("target", "shutdown-it-" + UUID.randomUUID()))
      .with("limits.wsMessagesPerSecond", "10000").with("limits.wsBurst", "10000");

  @Test
  void aStopMidStreamLosesNothingAcknowledgedAndTellsClientsItIsGoingAway() {
    TestServer.Setup s = server.setUp();
    String visitor;
    long id;
    Map<Long, String> acknowledged = new HashMap<>();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome")
          .path("visitor").asText();
      id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      customer.next("assigned");
      agent.next("assigned");
      for (int i = 0; i < 500; i++) {
        customer.trySend(of("type", "send", "conversation", id, "cmid", "m" + i, "text", "메시지 " + i));
      }
      // Stop once the first is acknowledged, while the rest are still coming in.
      JsonNode first = customer.until("ack");
      acknowledged.put(first.path("seq").asLong(), "메시지 " + first.path("cmid").asText().substring(1));
      server.stop();

      assertEquals(1001, customer.awaitClose(), "the customer is told the server is going away");
      assertEquals(1001, agent.awaitClose(), "so is the agent");
      for (JsonNode m : customer.drain()) {
        if (m.path("type").asText().equals("ack")) {
          acknowledged.put(m.path("seq").asLong(), "메시지 " + m.path("cmid").asText().substring(1));
        }
      }
    }
    assertTrue(acknowledged.size() > 0, "some messages were acknowledged before the stop");

    server.start();
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "visitor", visitor)).next("welcome");
      customer.send(of("type", "resume", "conversation", id, "afterSeq", 0));
      Map<Long, String> stored = new HashMap<>();
      for (JsonNode m = customer.next(); !m.path("type").asText().equals("resumed"); m = customer.next()) {
        stored.put(m.path("seq").asLong(), m.path("text").asText());
      }
      acknowledged.forEach((seq, text) -> assertEquals(text, stored.get(seq), "acknowledged message " + seq));
    }
  }
}
