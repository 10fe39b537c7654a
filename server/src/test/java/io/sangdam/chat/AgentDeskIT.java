package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Internal notes, ratings, typing and read receipts, including what the customer must never see. */
class AgentDeskIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  @Test
  void aNoteReachesTheAgentsOtherTabsButNeverTheCustomer() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer(); WsClient tab = server.agent()) {
      long id = server.assignedChat(s, agent, customer);
      tab.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "note", "rid", "n", "conversation", id, "cmid", "n-1", "text", "환불 이력 있음"));
      JsonNode ack = agent.next("ack");
      assertEquals("n", ack.path("rid").asText());
      assertTrue(ack.path("note").asBoolean());
      // until: the tab said hello while the assignment was being told to kim's sessions, so it may hear that first.
      JsonNode pushed = tab.until("note");
      assertEquals("환불 이력 있음", pushed.path("text").asText());
      assertEquals("kim", pushed.path("author").path("username").asText());
      assertEquals("NOTE", pushed.path("kind").asText());
      customer.assertNothingSoFar("a note never reaches the customer");

      agent.send(of("type", "note", "conversation", id, "cmid", "n-1", "text", "환불 이력 있음"));
      assertEquals(ack.path("seq").asLong(), agent.next("ack").path("seq").asLong(), "a repeated cmid stores nothing");
      tab.assertNothingSoFar("a repeated cmid is not pushed again");
      JsonNode notes = agent.send(of("type", "notes", "conversation", id)).next("notes");
      assertEquals(1, notes.path("notes").size());

      customer.send(of("type", "send", "conversation", id, "cmid", "c-1", "text", "안녕하세요")).next("ack");
      assertEquals(1, agent.next("message").path("seq").asLong(), "notes take no place in the transcript");
      customer.send(of("type", "note", "conversation", id, "cmid", "x", "text", "sneaky"));
      assertEquals("unknown_type", customer.next("error").path("code").asText());
      agent.send(of("type", "note", "conversation", id, "cmid", "n-2", "text", "가".repeat(4001)));
      assertEquals("too_long", agent.next("error").path("code").asText());
      agent.send(of("type", "close", "conversation", id)).next("closed");
      agent.send(of("type", "note", "conversation", id, "cmid", "n-1", "text", "환불 이력 있음"));
      assertEquals(ack.path("seq").asLong(), agent.next("ack").path("seq").asLong(),
          "a retry after the end is answered like the first time");
      agent.send(of("type", "note", "conversation", id, "cmid", "n-3", "text", "too late"));
      assertEquals("conversation_closed", agent.next("error").path("code").asText());
    }
  }

  @Test
  void aClosedConversationIsRatedOnceFrom1To5AndTheAgentSeesIt() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      customer.send(of("type", "rate", "conversation", id, "score", 5));
      assertEquals("conflict", customer.next("error").path("code").asText(), "still open");
      agent.send(of("type", "close", "conversation", id)).next("closed");
      assertTrue(customer.next("closed").path("rate").asBoolean(), "the customer is asked to rate");

      customer.send(of("type", "rate", "conversation", id, "score", 6));
      assertEquals("invalid_field", customer.next("error").path("code").asText());
      customer.send(of("type", "rate", "conversation", id));
      assertEquals("missing_field", customer.next("error").path("code").asText());
      customer.send(of("type", "rate", "rid", "r", "conversation", id, "score", 4, "comment", "친절했어요"));
      assertEquals("r", customer.next("rated").path("rid").asText());
      JsonNode seen = agent.next("rated");
      assertEquals(4, seen.path("score").asInt());
      assertEquals("친절했어요", seen.path("comment").asText());
      customer.send(of("type", "rate", "conversation", id, "score", 1));
      assertEquals("already_rated", customer.next("error").path("code").asText());
      agent.assertNothingSoFar("a refused second rating is not pushed");
    }
    try (WsClient stranger = server.customer()) {
      stranger.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      stranger.send(of("type", "rate", "conversation", 1, "score", 3));
      assertEquals("not_found", stranger.next("error").path("code").asText());
    }
  }

  @Test
  void anAbandonedConversationCannotBeRated() {
    TestServer.Setup s = server.setUp();
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      JsonNode closed = customer.send(of("type", "leave", "conversation", id)).next("closed");
      assertTrue(closed.path("rate").isMissingNode(), "nobody to rate");
      customer.send(of("type", "rate", "conversation", id, "score", 3));
      assertEquals("conflict", customer.next("error").path("code").asText());
    }
  }

  @Test
  void categoriesHaveThreeLevelsAreDisabledNotDeletedAndACenterMayRequireOneAtClose() throws Exception {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    String categories = "/api/tenants/" + s.tenant() + "/categories";
    long top = server.http().expect(201, "POST", categories, s.adminToken(), of("name", "카드")).path("id").asLong();
    long mid = server.http().expect(201, "POST", categories, s.adminToken(), of("name", "결제", "parent", top))
        .path("id").asLong();
    JsonNode leaf = server.http().expect(201, "POST", categories, s.adminToken(), of("name", "승인 거절",
        "parent", mid));
    assertEquals(3, leaf.path("level").asInt());
    assertEquals("invalid_field", server.http().send("POST", categories, s.adminToken(),
        of("name", "너무 깊음", "parent", leaf.path("id").asLong())).errorCode());
    long foreign = server.http().expect(201, "POST", "/api/tenants/" + other.tenant() + "/categories",
        other.adminToken(), of("name", "남의 것")).path("id").asLong();
    assertEquals("invalid_field", server.http().send("POST", categories, s.adminToken(),
        of("name", "x", "parent", foreign)).errorCode());
    assertEquals(403, server.http().send("POST", categories, s.agentToken(), of("name", "x")).status());
    long retired = server.http().expect(201, "POST", categories, s.adminToken(), of("name", "폐지")).path("id")
        .asLong();
    server.http().expect(200, "PUT", categories + "/" + retired, s.adminToken(), of("enabled", false));
    assertEquals("invalid_field", server.http().send("POST", categories, s.adminToken(), of("name", "x",
        "parent", retired)).errorCode(), "not under a disabled category");
    assertEquals(4, server.http().expect(200, "GET", categories, s.agentToken(), null).size(), "never deleted");
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/settings", s.adminToken(),
        of("requireCategory", true));

    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      assertEquals(3, agent.send(of("type", "categories")).next("categories").path("categories").size(),
          "agents see the enabled ones");
      agent.send(of("type", "close", "conversation", id));
      assertEquals("category_required", agent.next("error").path("code").asText());
      agent.send(of("type", "close", "conversation", id, "category", retired));
      assertEquals("invalid_field", agent.next("error").path("code").asText());
      server.http().expect(200, "PUT", categories + "/" + mid, s.adminToken(), of("enabled", false));
      agent.send(of("type", "close", "conversation", id, "category", leaf.path("id").asLong()));
      assertEquals("invalid_field", agent.next("error").path("code").asText(), "its parent is disabled");
      server.http().expect(200, "PUT", categories + "/" + mid, s.adminToken(), of("enabled", true));
      agent.send(of("type", "close", "conversation", id, "category", foreign));
      assertEquals("invalid_field", agent.next("error").path("code").asText());
      agent.send(of("type", "close", "conversation", id, "category", leaf.path("id").asLong(),
          "tags", java.util.List.of("재문의", "VIP")));
      assertEquals("agent", agent.next("closed").path("reason").asText());
      io.sangdam.testing.TestDatabase.Url db = server.database();
      try (var c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password());
          var st = c.createStatement();
          var rs = st.executeQuery("SELECT category_id, (SELECT COUNT(*) FROM conversation_tag t"
              + " WHERE t.conversation_id = c.id) FROM conversation c WHERE c.id = " + id)) {
        assertTrue(rs.next());
        assertEquals(leaf.path("id").asLong(), rs.getLong(1));
        assertEquals(2, rs.getInt(2));
      }
    }
  }

  @Test
  void typingIsRelayedThrottledAndReadReceiptsReachTheOtherSide() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      customer.send(of("type", "typing", "conversation", id));
      customer.send(of("type", "typing", "conversation", id));
      customer.assertNothingSoFar("typing is not answered");
      JsonNode typing = agent.next("typing");
      assertEquals("customer", typing.path("from").asText());
      agent.assertNothingSoFar("the second typing within a second is not relayed");
      agent.send(of("type", "typing", "conversation", id));
      assertEquals("agent", customer.next("typing").path("from").asText());

      agent.send(of("type", "send", "conversation", id, "cmid", "a-1", "text", "무엇을 도와드릴까요?")).next("ack");
      assertEquals(1, customer.next("message").path("seq").asLong());
      customer.send(of("type", "read", "conversation", id, "seq", 1));
      JsonNode read = agent.next("read");
      assertEquals("customer", read.path("by").asText());
      assertEquals(1, read.path("seq").asLong());
      customer.send(of("type", "read", "conversation", id, "seq", 9));
      assertEquals("invalid_field", customer.next("error").path("code").asText());
      customer.send(of("type", "typing", "conversation", id + 1000));
      assertEquals("not_found", customer.next("error").path("code").asText());
    }
  }
}
