package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The customer's presence as the agent sees it, and what happens to a chat whose customer is gone
 * before anyone answered them: abandoned after the grace, the agent's place given back at once,
 * counted abandoned (not handled) in statistics.
 */
// One test at a time: each advances the class's clock, which runs every timer due, other tests' too.
@Execution(ExecutionMode.SAME_THREAD)
class CustomerPresenceIT {
  /**
   * Starts now, for the statistics' "today"; the customer grace falls due only when a test advances
   * it. Each test's grace differs from the other's and from the defaults, so that a timer another
   * test left pending is never taken for the one awaited.
   */
  private static final ManualTime time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time);

  private static String hello(WsClient customer, TestServer.Setup s, String visitor) {
    JsonNode welcome = customer.send(visitor == null ? of("type", "hello", "tenant", s.tenant(), "center", "seoul")
        : of("type", "hello", "tenant", s.tenant(), "center", "seoul", "visitor", visitor)).next("welcome");
    return welcome.path("visitor").asText();
  }

  private static long start(WsClient customer) {
    return start(customer, "card");
  }

  private static long start(WsClient customer, String queue) {
    return customer.send(of("type", "start", "queue", queue)).next("started").path("conversation").path("id")
        .asLong();
  }

  private static WsClient online(String token) {
    WsClient agent = server.agent();
    agent.send(of("type", "hello", "token", token)).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
    return agent;
  }

  private static void settings(TestServer.Setup s, Object body) {
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/settings", s.adminToken(), body);
  }

  @Test
  void theAgentAndWatchersSeeTheCustomerGoAndComeBack() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "park",
        "password", TestServer.STAFF_PASSWORD, "name", "박매니저", "role", "CENTER_MANAGER", "center", "seoul"));
    try (WsClient kim = online(s.agentToken()); WsClient park = server.agent()) {
      String visitor;
      long id;
      try (WsClient customer = server.customer()) {
        visitor = hello(customer, s, null);
        id = start(customer);
        assertTrue(kim.next("assigned").path("conversation").path("customerOnline").asBoolean());
        park.send(of("type", "hello", "token", server.http().login(s.tenant(), "park", TestServer.STAFF_PASSWORD)))
            .next("welcome");
        assertTrue(park.send(of("type", "watch", "conversation", id)).next("watching").path("conversation")
            .path("customerOnline").asBoolean());
        kim.send(of("type", "send", "conversation", id, "cmid", "k1", "text", "안녕하세요")).next("ack");
        park.next("message");
      }
      String offline = of("type", "presence", "conversation", id, "customer", "offline").toString();
      assertEquals(offline, kim.next("presence").toString());
      assertEquals(offline, park.next("presence").toString());
      try (WsClient again = server.agent()) {
        JsonNode welcome = again.send(of("type", "hello", "token", s.agentToken())).next("welcome");
        assertFalse(welcome.path("conversations").get(0).path("customerOnline").asBoolean(true));
      }
      try (WsClient back = server.customer()) {
        hello(back, s, visitor);
        String online = of("type", "presence", "conversation", id, "customer", "online").toString();
        assertEquals(online, kim.next("presence").toString());
        assertEquals(online, park.next("presence").toString());
        back.send(of("type", "send", "conversation", id, "cmid", "c1", "text", "네")).next("ack");
        assertEquals("네", kim.next("message").path("text").asText());
      }
      assertEquals("offline", kim.next("presence").path("customer").asText());
    }
  }

  @Test
  void aCustomerGoneBeforeAnyAnswerAbandonsTheChatAndTheAgentGetsTheirPlaceBack() {
    TestServer.Setup s = server.setUp();
    Duration grace = Duration.ofSeconds(40);
    settings(s, of("customerGraceSeconds", grace.toSeconds()));
    String base = "/api/tenants/" + s.tenant();
    server.http().expect(201, "POST", base + "/centers/seoul/queues", s.adminToken(),
        of("code", "one", "name", "One", "policy", "LEAST_BUSY", "maxChatsPerAgent", 1));
    server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", "lee", "password",
        "agent-pass-9", "name", "이상담", "role", "AGENT", "center", "seoul", "queues", java.util.List.of("one"),
        "maxChats", 1));
    String lee = server.http().login(s.tenant(), "lee", "agent-pass-9");
    long gone;
    try (WsClient customer = server.customer()) {
      hello(customer, s, null);
      gone = start(customer, "one");
    }
    time.awaitTaskDueIn(grace);
    try (WsClient kim = online(lee);
        WsClient next = server.customer()) {
      // Assigned within the grace, as before; but now the agent sees that nobody is there.
      JsonNode assigned = kim.next("assigned").path("conversation");
      assertEquals(gone, assigned.path("id").asLong());
      assertFalse(assigned.path("customerOnline").asBoolean(true));
      hello(next, s, null);
      long waiting = start(next, "one");
      time.advance(grace.minusSeconds(1));
      kim.assertNothingSoFar("the gone customer's chat is kept until the grace is over");
      time.advance(Duration.ofSeconds(1));
      JsonNode closed = kim.next("closed");
      assertEquals(gone, closed.path("conversation").asLong());
      assertEquals("abandoned", closed.path("reason").asText());
      assertEquals(waiting, kim.next("assigned").path("conversation").path("id").asLong(),
          "the place the gone customer held is free at once: the next one is assigned");
    }
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode total = server.http().expect(200, "GET", "/api/stats?scope=" + s.tenant() + "&from=" + today + "&to="
        + today + "&timezone=UTC", s.adminToken(), null).path("total");
    assertEquals(1, total.path("offered").asInt(), total.toString());
    assertEquals(1, total.path("abandoned").asInt(), total.toString());
    assertEquals(0, total.path("handled").asInt(), total.toString());
  }

  @Test
  void aCustomerWhoComesBackWithinTheGraceKeepsTheChat() {
    TestServer.Setup s = server.setUp();
    Duration grace = Duration.ofSeconds(41);
    settings(s, of("customerGraceSeconds", grace.toSeconds()));
    try (WsClient kim = online(s.agentToken())) {
      String visitor;
      long id;
      try (WsClient customer = server.customer()) {
        visitor = hello(customer, s, null);
        id = start(customer);
        kim.next("assigned");
      }
      assertEquals("offline", kim.next("presence").path("customer").asText());
      time.awaitTaskDueIn(grace);
      try (WsClient back = server.customer()) {
        hello(back, s, visitor);
        assertEquals("online", kim.next("presence").path("customer").asText());
        assertFalse(time.hasTaskDueIn(grace), "the customer's return stopped the abandon clock");
        time.advance(grace);
        kim.assertNothingSoFar("past the grace, the chat is still open");
        back.send(of("type", "send", "conversation", id, "cmid", "c1", "text", "아직 있어요")).next("ack");
        assertEquals("아직 있어요", kim.next("message").path("text").asText());
      }
    }
  }

  @Test
  void leavingBeforeTheAgentsFirstAnswerIsAbandonedAndAfterItClosed() {
    TestServer.Setup s = server.setUp();
    try (WsClient kim = online(s.agentToken()); WsClient customer = server.customer()) {
      hello(customer, s, null);
      long unanswered = start(customer);
      customer.next("assigned");
      kim.next("assigned");
      JsonNode left = customer.send(of("type", "leave", "conversation", unanswered)).next("closed");
      assertEquals("abandoned", left.path("reason").asText());
      assertTrue(left.path("rate").isMissingNode(), "nobody answered: nothing to rate");
      assertEquals("abandoned", kim.next("closed").path("reason").asText());

      long answered = start(customer);
      customer.next("assigned");
      kim.next("assigned");
      kim.send(of("type", "send", "conversation", answered, "cmid", "k1", "text", "무엇을 도와드릴까요?")).next("ack");
      customer.next("message");
      JsonNode closed = customer.send(of("type", "leave", "conversation", answered)).next("closed");
      assertEquals("customer", closed.path("reason").asText());
      assertTrue(closed.path("rate").asBoolean());
    }
  }
}
