package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One center given up and taken back by the running server, as a node does when it loses a
 * center and wins it again: its clients stay connected throughout, and another center goes on.
 */
class CenterOwnershipIT {
  /** Grace periods fall due only when the test advances this. */
  private static final ManualTime time = new ManualTime(Instant.parse("2026-12-01T01:00:00Z"));
  private static final Duration GRACE = Duration.ofSeconds(30);

  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time);

  @Test
  void aCenterGivenUpAndTakenBackKeepsItsLineItsAgentsAndItsSeq() {
    TestServer.Setup s = server.setUp();
    String base = "/api/tenants/" + s.tenant();
    server.http().expect(200, "PUT", base + "/centers/seoul/settings", s.adminToken(),
        of("agentGraceSeconds", GRACE.toSeconds()));
    long seoul = server.http().expect(200, "GET", base + "/centers/seoul", s.adminToken(), null).path("id").asLong();
    server.http().expect(201, "POST", base + "/centers", s.adminToken(), of("code", "busan", "name", "부산"));
    server.http().expect(201, "POST", base + "/centers/busan/queues", s.adminToken(),
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 1));
    server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", "park", "password",
        "agent-pass-9", "name", "박상담", "role", "AGENT", "center", "busan", "queues", List.of("card")));

    try (WsClient kim = server.agent(); WsClient park = server.agent();
        WsClient a1 = server.customer(); WsClient a2 = server.customer();
        WsClient w1 = server.customerSeeingPositions(); WsClient w2 = server.customerSeeingPositions();
        WsClient w3 = server.customerSeeingPositions();
        WsClient b1 = server.customer(); WsClient b2 = server.customer()) {
      online(kim, s.agentToken());
      online(park, server.http().login(s.tenant(), "park", "agent-pass-9"));
      long first = start(a1, s, "seoul");
      a1.next("assigned");
      assertEquals(first, kim.next("assigned").path("conversation").path("id").asLong());
      long second = start(a2, s, "seoul");
      a2.next("assigned");
      assertEquals(second, kim.next("assigned").path("conversation").path("id").asLong());
      a1.send(of("type", "send", "conversation", first, "cmid", "c-1", "text", "결제가 안 돼요"));
      assertEquals(1, a1.next("ack").path("seq").asLong());
      assertEquals(1, kim.next("message").path("seq").asLong());
      kim.send(of("type", "send", "conversation", first, "cmid", "a-2", "text", "확인해 보겠습니다"));
      assertEquals(2, kim.next("ack").path("seq").asLong());
      assertEquals(2, a1.next("message").path("seq").asLong());
      List<WsClient> line = List.of(w1, w2, w3);
      long[] waiting = new long[3];
      for (int i = 0; i < 3; i++) {
        waiting[i] = start(line.get(i), s, "seoul");
        assertEquals(i + 1, line.get(i).next("queue").path("position").asInt(), "kim has room for two");
      }
      long inBusan = start(b1, s, "busan");
      assertEquals(inBusan, park.next("assigned").path("conversation").path("id").asLong());
      long waitingInBusan = start(b2, s, "busan");

      server.centers().release(seoul).join();

      park.send(of("type", "close", "conversation", inBusan));
      Map<String, JsonNode> atPark = twoOf(park);
      assertEquals(inBusan, atPark.get("closed").path("conversation").asLong());
      assertEquals(waitingInBusan, atPark.get("assigned").path("conversation").path("id").asLong(),
          "busan is routed as before");
      b2.until("assigned");
      for (WsClient c : List.of(kim, a1, a2, w1, w2, w3)) {
        c.assertNothingSoFar("giving seoul up says nothing to its clients");
      }

      server.centers().adopt(seoul).join();

      for (int i = 0; i < 3; i++) {
        assertEquals(i + 1, line.get(i).until("queue").path("position").asInt(), "each keeps their place in line");
      }
      time.advance(GRACE);
      a1.send(of("type", "send", "conversation", first, "cmid", "c-3", "text", "아직 안 돼요"));
      assertEquals(3, a1.next("ack").path("seq").asLong());
      JsonNode toKim = kim.next("message");
      assertEquals(first, toKim.path("conversation").asLong(), "kim kept the chat and took nobody new: he had no room");
      assertEquals(3, toKim.path("seq").asLong());
      kim.send(of("type", "send", "conversation", first, "cmid", "a-4", "text", "다시 해 보세요"));
      assertEquals(4, kim.next("ack").path("seq").asLong());
      assertEquals(4, a1.next("message").path("seq").asLong());

      kim.send(of("type", "close", "conversation", first));
      assertEquals(waiting[0], twoOf(kim).get("assigned").path("conversation").path("id").asLong());
      w1.until("assigned");
      kim.send(of("type", "close", "conversation", second));
      assertEquals(waiting[1], twoOf(kim).get("assigned").path("conversation").path("id").asLong(),
          "the line goes on in its order");
      w2.until("assigned");
    }
  }

  private static void online(WsClient agent, String token) {
    agent.send(of("type", "hello", "token", token)).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
  }

  private static long start(WsClient customer, TestServer.Setup s, String center) {
    customer.send(of("type", "hello", "tenant", s.tenant(), "center", center)).next("welcome");
    return customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
        .asLong();
  }

  /** The close's answer and the next chat's assignment, which may come in either order. */
  private static Map<String, JsonNode> twoOf(WsClient agent) {
    Map<String, JsonNode> byType = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      JsonNode m = agent.next();
      byType.put(m.path("type").asText(), m);
    }
    assertEquals(java.util.Set.of("closed", "assigned"), byType.keySet());
    return byType;
  }
}
